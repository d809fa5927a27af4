//! Any serde input (an import line through `serde_json`) read into a core JSON value under the
//! entry profile's rules, for `Event`'s `Deserialize`.

use std::fmt;

use acta_core::json::{MAX_DEPTH, Object, Value};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::safe_integer;

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
