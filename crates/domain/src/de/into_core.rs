//! A payload serialized straight into a core JSON value, so that the lossless check of
//! [`crate::decode`] is `Object` → typed → `Object` with no text between.

use std::fmt;

use acta_core::json::{Number, Object, Value};
use serde::{Serialize, ser};

use super::safe_integer;

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
