//! A serde deserializer over a `serde_json::Value` that knows where it is.
//!
//! serde's own errors say *what* is wrong ("missing field `state`") but not *where*. This
//! deserializer walks the JSON tree itself and stamps every error with the path of the member
//! it was decoding (`data.occurred.to`, `data.sources[1].doc`), so that [`crate::validate`] can
//! name the field. It is also stricter than `serde_json` in two ways that keep the typed model
//! lossless: `null` is never accepted for an optional member (omit the member instead), and
//! numbers must be integers.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde_json::Value;

use crate::error::FieldErrorKind;

/// A deserialization error with the path of the member where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeError {
    /// The path, once known (set by the innermost member that saw the error).
    pub(crate) path: Option<String>,
    /// What kind of problem.
    pub(crate) kind: FieldErrorKind,
    /// What was expected, in words.
    pub(crate) expected: String,
    /// For a missing member: its name (appended to the path of the object lacking it).
    missing: Option<&'static str>,
}

impl DeError {
    pub(crate) fn new(kind: FieldErrorKind, expected: impl Into<String>) -> DeError {
        DeError {
            path: None,
            kind,
            expected: expected.into(),
            missing: None,
        }
    }

    /// Sets the path if no inner member has set it yet.
    pub(crate) fn at(mut self, path: &str) -> DeError {
        if self.path.is_none() {
            self.path = Some(match self.missing {
                Some(member) => child_path(path, member),
                None => path.to_owned(),
            });
        }
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{p}: {}", self.expected),
            None => f.write_str(&self.expected),
        }
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
    if !member.is_empty()
        && member
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        format!("{parent}.{member}")
    } else {
        let quoted = serde_json::to_string(member).unwrap_or_else(|_| "\"?\"".to_owned());
        format!("{parent}[{quoted}]")
    }
}

/// Deserializes `T` from `value`, naming paths from `root` (e.g. `data`).
pub(crate) fn from_value<'de, T: de::Deserialize<'de>>(
    value: &'de Value,
    root: &str,
) -> Result<T, DeError> {
    T::deserialize(ValueDe {
        v: value,
        path: root.to_owned(),
    })
}

/// The deserializer for one JSON value at one path.
pub(crate) struct ValueDe<'de> {
    v: &'de Value,
    path: String,
}

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let ValueDe { v, path } = self;
        let r = match v {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    Err(DeError::new(
                        FieldErrorKind::WrongType,
                        "an integer (numbers with a fraction or exponent are not allowed)",
                    ))
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => {
                let mut seq = SeqDe {
                    items: items.iter().enumerate(),
                    path: &path,
                };
                visitor.visit_seq(&mut seq).and_then(|out| {
                    if seq.items.len() == 0 {
                        Ok(out)
                    } else {
                        Err(de::Error::invalid_length(items.len(), &"fewer elements"))
                    }
                })
            }
            Value::Object(members) => visitor.visit_map(MapDe {
                members: members.iter(),
                pending: None,
                path: &path,
            }),
        };
        r.map_err(|e| e.at(&path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.v.is_null() {
            return Err(DeError::new(
                FieldErrorKind::WrongType,
                "null is not a value here: omit the member instead",
            )
            .at(&self.path));
        }
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let path = self.path.clone();
        visitor.visit_newtype_struct(self).map_err(|e| e.at(&path))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let ValueDe { v, path } = self;
        let r = match v {
            Value::String(s) => visitor.visit_enum(EnumDe {
                variant: s,
                value: None,
                path: &path,
            }),
            Value::Object(m) if m.len() == 1 => match m.iter().next() {
                Some((k, inner)) => visitor.visit_enum(EnumDe {
                    variant: k,
                    value: Some(inner),
                    path: &path,
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
        };
        r.map_err(|e| e.at(&path))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct SeqDe<'a, 'de> {
    items: std::iter::Enumerate<std::slice::Iter<'de, Value>>,
    path: &'a str,
}

impl<'de> SeqAccess<'de> for SeqDe<'_, 'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            None => Ok(None),
            Some((i, v)) => {
                let path = format!("{}[{i}]", self.path);
                seed.deserialize(ValueDe {
                    v,
                    path: path.clone(),
                })
                .map(Some)
                .map_err(|e| e.at(&path))
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a, 'de> {
    members: serde_json::map::Iter<'de>,
    pending: Option<(&'de Value, String)>,
    path: &'a str,
}

impl<'de> MapAccess<'de> for MapDe<'_, 'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.members.next() {
            None => Ok(None),
            Some((k, v)) => {
                let path = child_path(self.path, k);
                let key = seed
                    .deserialize(KeyDe {
                        key: k,
                        path: path.clone(),
                    })
                    .map_err(|e| e.at(&path))?;
                self.pending = Some((v, path));
                Ok(Some(key))
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.pending.take() {
            Some((v, path)) => seed
                .deserialize(ValueDe {
                    v,
                    path: path.clone(),
                })
                .map_err(|e| e.at(&path)),
            None => Err(DeError::new(FieldErrorKind::InvalidValue, "a member value").at(self.path)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// Deserializes an object key (a member name or an enum variant name).
struct KeyDe<'de> {
    key: &'de str,
    path: String,
}

impl<'de> de::Deserializer<'de> for KeyDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_borrowed_str::<DeError>(self.key)
            .map_err(|e: DeError| e.at(&self.path))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let path = self.path.clone();
        visitor.visit_newtype_struct(self).map_err(|e| e.at(&path))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor
            .visit_enum(self.key.into_deserializer())
            .map_err(|e: DeError| e.at(&self.path))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// An enum written as `"variant"` or `{"variant": value}`.
struct EnumDe<'a, 'de> {
    variant: &'de str,
    value: Option<&'de Value>,
    path: &'a str,
}

impl<'a, 'de> EnumAccess<'de> for EnumDe<'a, 'de> {
    type Error = DeError;
    type Variant = VariantDe<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, VariantDe<'de>), DeError> {
        let name = seed
            .deserialize(KeyDe {
                key: self.variant,
                path: self.path.to_owned(),
            })
            .map_err(|e| e.at(self.path))?;
        let path = child_path(self.path, self.variant);
        Ok((
            name,
            VariantDe {
                value: self.value,
                variant: self.variant,
                path,
            },
        ))
    }
}

struct VariantDe<'de> {
    value: Option<&'de Value>,
    variant: &'de str,
    path: String,
}

impl VariantDe<'_> {
    fn needs_object(&self) -> DeError {
        DeError::new(
            FieldErrorKind::WrongType,
            format!(
                "`{}` takes a value: write {{\"{}\": …}}",
                self.variant, self.variant
            ),
        )
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
            )
            .at(&self.path)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        match self.value {
            Some(v) => seed
                .deserialize(ValueDe {
                    v,
                    path: self.path.clone(),
                })
                .map_err(|e| e.at(&self.path)),
            None => Err(self.needs_object()),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Some(v) => de::Deserializer::deserialize_any(
                ValueDe {
                    v,
                    path: self.path.clone(),
                },
                visitor,
            ),
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
