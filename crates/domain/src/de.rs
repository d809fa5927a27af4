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
//! The other way, [`ValueSer`] serializes a payload straight into a core [`Value`], so that
//! [`crate::decode`]'s lossless check is `Object` → typed → `Object` with no text between.
//! [`CoreValueSeed`] reads any serde input (an import line through `serde_json`) into a core
//! [`Value`] under the entry profile's rules, for `Event`'s `Deserialize`.

use std::fmt;

use acta_core::json::{MAX_DEPTH, MAX_SAFE_INTEGER, Number, Object, Value};
use serde::de::{
    self, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::{Serialize, ser};
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
fn safe_integer(i: i64) -> Option<Number> {
    (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER)
        .contains(&i)
        .then_some(Number::Int(i))
}

/// Reads any serde data as a core JSON value under the entry profile's rules: integers within
/// ±(2^53 − 1) only, no duplicate members, at most [`MAX_DEPTH`] levels of nesting.
#[derive(Clone, Copy)]
pub(crate) struct CoreValueSeed {
    /// The value's level, as [`acta_core::json::parse`] counts it: 1 for a whole document,
    /// one more for each enclosing array or object.
    pub(crate) depth: usize,
}

impl<'de> DeserializeSeed<'de> for CoreValueSeed {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl CoreValueSeed {
    /// The seed of this array's or object's elements, if it is not nested too deep.
    fn nested<E: de::Error>(&self) -> Result<CoreValueSeed, E> {
        if self.depth > MAX_DEPTH {
            return Err(E::custom(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(CoreValueSeed {
            depth: self.depth + 1,
        })
    }
}

impl<'de> Visitor<'de> for CoreValueSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value whose numbers are integers within ±(2^53 − 1)")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        safe_integer(i)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the integer {i} is outside ±(2^53 − 1)")))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        match i64::try_from(u) {
            Ok(i) => self.visit_i64(i),
            Err(_) => Err(E::custom(format!("the integer {u} is outside ±(2^53 − 1)"))),
        }
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        Err(E::custom(
            "an integer (numbers with a fraction or exponent are not allowed)",
        ))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let element = self.nested()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(element)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let member = self.nested()?;
        let mut o = Object::new();
        while let Some(k) = map.next_key::<String>()? {
            if o.get(&k).is_some() {
                return Err(de::Error::custom(format!("duplicate member `{k}`")));
            }
            let v = map.next_value_seed(member)?;
            o.insert(k, v);
        }
        Ok(Value::Object(o))
    }
}

/// Reads any serde data as a core JSON object ([`CoreValueSeed`]).
pub(crate) fn core_object<'de, D: de::Deserializer<'de>>(d: D) -> Result<Object, D::Error> {
    let seed = CoreValueSeed { depth: 1 };
    match seed.deserialize(d)? {
        Value::Object(o) => Ok(o),
        other => Err(de::Error::custom(format!(
            "data must be a JSON object, not {}",
            other.kind()
        ))),
    }
}

/// What an entry cannot hold (a double, an integer beyond ±(2^53 − 1), a key that is not a
/// string), met while serializing a payload.
#[derive(Debug)]
pub(crate) struct Unrepresentable(String);

impl fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unrepresentable {}

impl ser::Error for Unrepresentable {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unrepresentable(msg.to_string())
    }
}

fn unrepresentable<T>(what: &str) -> Result<T, Unrepresentable> {
    Err(Unrepresentable(format!("{what} cannot be an entry's JSON")))
}

/// Serializes a value (a payload) into a core JSON value, as `serde_json::to_value` would
/// into its own: enums externally tagged, `None` and `()` as `null`.
pub(crate) struct ValueSer;

fn integer(i: i128) -> Result<Value, Unrepresentable> {
    match i64::try_from(i).ok().and_then(safe_integer) {
        Some(n) => Ok(Value::Number(n)),
        None => unrepresentable("an integer beyond ±(2^53 − 1)"),
    }
}

fn tagged(variant: &str, value: Value) -> Value {
    let mut o = Object::new();
    o.insert(variant, value);
    Value::Object(o)
}

impl ser::Serializer for ValueSer {
    type Ok = Value;
    type Error = Unrepresentable;
    type SerializeSeq = SeqSer;
    type SerializeTuple = SeqSer;
    type SerializeTupleStruct = SeqSer;
    type SerializeTupleVariant = SeqSer;
    type SerializeMap = MapSer;
    type SerializeStruct = MapSer;
    type SerializeStructVariant = MapSer;

    fn serialize_bool(self, v: bool) -> Result<Value, Unrepresentable> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Unrepresentable> {
        integer(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Unrepresentable> {
        integer(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Unrepresentable> {
        integer(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Unrepresentable> {
        integer(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<Value, Unrepresentable> {
        integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Unrepresentable> {
        integer(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Unrepresentable> {
        integer(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Unrepresentable> {
        integer(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Unrepresentable> {
        integer(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<Value, Unrepresentable> {
        match i128::try_from(v) {
            Ok(i) => integer(i),
            Err(_) => unrepresentable("an integer beyond ±(2^53 − 1)"),
        }
    }
    fn serialize_f32(self, _: f32) -> Result<Value, Unrepresentable> {
        unrepresentable("a double")
    }
    fn serialize_f64(self, _: f64) -> Result<Value, Unrepresentable> {
        unrepresentable("a double")
    }
    fn serialize_char(self, v: char) -> Result<Value, Unrepresentable> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Unrepresentable> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Unrepresentable> {
        Ok(Value::Array(
            v.iter()
                .map(|&b| Value::Number(Number::Int(b.into())))
                .collect(),
        ))
    }
    fn serialize_none(self) -> Result<Value, Unrepresentable> {
        Ok(Value::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Value, Unrepresentable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Unrepresentable> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Unrepresentable> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, Unrepresentable> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value, Unrepresentable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Unrepresentable> {
        Ok(tagged(variant, value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer, Unrepresentable> {
        Ok(SeqSer {
            variant: None,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer, Unrepresentable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<SeqSer, Unrepresentable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqSer, Unrepresentable> {
        Ok(SeqSer {
            variant: Some(variant),
            items: Vec::with_capacity(len),
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapSer, Unrepresentable> {
        Ok(MapSer {
            variant: None,
            members: Object::new(),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<MapSer, Unrepresentable> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<MapSer, Unrepresentable> {
        Ok(MapSer {
            variant: Some(variant),
            members: Object::new(),
            key: None,
        })
    }
}

/// An array being serialized (the variant's name for a tuple variant).
pub(crate) struct SeqSer {
    variant: Option<&'static str>,
    items: Vec<Value>,
}

impl SeqSer {
    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unrepresentable> {
        self.items.push(value.serialize(ValueSer)?);
        Ok(())
    }

    fn done(self) -> Value {
        let array = Value::Array(self.items);
        match self.variant {
            Some(variant) => tagged(variant, array),
            None => array,
        }
    }
}

impl ser::SerializeSeq for SeqSer {
    type Ok = Value;
    type Error = Unrepresentable;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unrepresentable> {
        self.push(v)
    }
    fn end(self) -> Result<Value, Unrepresentable> {
        Ok(self.done())
    }
}

impl ser::SerializeTuple for SeqSer {
    type Ok = Value;
    type Error = Unrepresentable;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unrepresentable> {
        self.push(v)
    }
    fn end(self) -> Result<Value, Unrepresentable> {
        Ok(self.done())
    }
}

impl ser::SerializeTupleStruct for SeqSer {
    type Ok = Value;
    type Error = Unrepresentable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unrepresentable> {
        self.push(v)
    }
    fn end(self) -> Result<Value, Unrepresentable> {
        Ok(self.done())
    }
}

impl ser::SerializeTupleVariant for SeqSer {
    type Ok = Value;
    type Error = Unrepresentable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unrepresentable> {
        self.push(v)
    }
    fn end(self) -> Result<Value, Unrepresentable> {
        Ok(self.done())
    }
}

/// An object being serialized (the variant's name for a struct variant).
pub(crate) struct MapSer {
    variant: Option<&'static str>,
    members: Object,
    key: Option<String>,
}

impl MapSer {
    fn member<T: ?Sized + Serialize>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), Unrepresentable> {
        self.members.insert(key, value.serialize(ValueSer)?);
        Ok(())
    }

    fn done(self) -> Value {
        let object = Value::Object(self.members);
        match self.variant {
            Some(variant) => tagged(variant, object),
            None => object,
        }
    }
}

impl ser::SerializeMap for MapSer {
    type Ok = Value;
    type Error = Unrepresentable;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Unrepresentable> {
        match key.serialize(ValueSer)? {
            Value::String(k) => {
                self.key = Some(k);
                Ok(())
            }
            _ => unrepresentable("a member name that is not a string"),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unrepresentable> {
        match self.key.take() {
            Some(k) => self.member(&k, v),
            None => unrepresentable("a member value without a name"),
        }
    }
    fn end(self) -> Result<Value, Unrepresentable> {
        Ok(self.done())
    }
}

impl ser::SerializeStruct for MapSer {
    type Ok = Value;
    type Error = Unrepresentable;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Unrepresentable> {
        self.member(key, v)
    }
    fn end(self) -> Result<Value, Unrepresentable> {
        Ok(self.done())
    }
}

impl ser::SerializeStructVariant for MapSer {
    type Ok = Value;
    type Error = Unrepresentable;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Unrepresentable> {
        self.member(key, v)
    }
    fn end(self) -> Result<Value, Unrepresentable> {
        Ok(self.done())
    }
}
