//! YAML read straight into JSON values, the way OpenAPI means it.
//!
//! Going through `serde_yaml_ng::Value` first lost real specs: it has no place for an integer
//! beyond 64 bits, so a bound such as `maximum: 18446744073709552000` failed the whole file.
//! Reading into `serde_json::Value` directly keeps such a number (as the nearest float, which
//! is also what a JSON reader does with it), turns scalar mapping keys such as `200:` into the
//! strings OpenAPI means, and costs one tree instead of two.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses YAML text into a JSON value.
///
/// # Errors
/// The parser's error, with its location; a tagged value (`!Ref x`) or a mapping key that is
/// not a scalar is an error too, since OpenAPI documents are plain JSON-compatible YAML.
pub fn from_str(text: &str) -> Result<Value, serde_yaml_ng::Error> {
    serde_yaml_ng::from_str::<Json>(text).map(|json| json.0)
}

/// A JSON value read from YAML.
struct Json(Value);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(Json)
    }
}

/// A float as JSON has it: non-finite YAML floats (`.inf`, `.nan`) have no JSON number, so
/// they are kept as the string YAML spells them with.
fn float(value: f64) -> Value {
    Number::from_f64(value).map_or_else(|| Value::String(value.to_string()), Value::Number)
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON-compatible YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), |v| Value::Number(v.into())))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), |v| Value::Number(v.into())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            let Json(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (Key(tag), _) = data.variant::<Key>()?;
        Err(de::Error::custom(format!(
            "YAML tag !{tag} is not part of OpenAPI; remove the tag (OpenAPI documents are plain JSON-compatible YAML)"
        )))
    }
}

/// A mapping key: any scalar, as the string OpenAPI means (`200:` is the status "200").
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor).map(Key)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::from_str;

    #[test]
    fn integers_beyond_64_bits_are_kept_as_the_nearest_float() {
        let value =
            from_str("maximum: 18446744073709552000\nminimum: -170141183460469231731687303715884105728\n").unwrap();
        assert_eq!(value["maximum"], json!(18446744073709552000.0_f64));
        assert!(value["minimum"].as_f64().unwrap() < -1e38);
    }

    #[test]
    fn scalar_keys_become_strings() {
        let value = from_str("200: ok\ntrue: yes\n1.5: x\n~: n\n").unwrap();
        assert_eq!(value, json!({"200": "ok", "true": "yes", "1.5": "x", "null": "n"}));
    }

    #[test]
    fn yaml_12_reads_no_as_a_string_and_dates_as_strings() {
        let value = from_str("enum: [no, yes, on]\ndate: 2024-01-31\n").unwrap();
        assert_eq!(value, json!({"enum": ["no", "yes", "on"], "date": "2024-01-31"}));
    }

    #[test]
    fn tags_and_collection_keys_are_errors_with_a_location() {
        let tagged = from_str("a: !Ref x\n").unwrap_err();
        assert!(tagged.to_string().contains("YAML tag !Ref"), "{tagged}");
        let keyed = from_str("? [a, b]\n: c\n").unwrap_err();
        assert!(keyed.location().is_some(), "{keyed}");
    }
}
