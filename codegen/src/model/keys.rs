//! Whether a key of a raw document is a keyword, a name, an extension or the start of literal
//! data, for the walks that do not need [`walk`](super::walk)'s full object kinds.
//!
//! A key is only an extension where keywords stand: in `properties` a key `x-request-id` is a
//! property's name and its schema is walked like any other; in a response's `headers` map
//! `x-rate-limit` is a header. Values under `example`, `default`, `enum`, `const`, an Example's
//! `value` and a schema's list of `examples` are the vendor's data: an object there with a
//! `$ref` key is an example of a JSON Schema, not a reference to follow. Walks that ask
//! [`Holds::child`] for every key get both right the same way.

use serde_json::Value;

/// What the keys of an object (or the items of an array) are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// Keywords of an OpenAPI or JSON Schema object; `x-` keys are extensions.
    Keywords,
    /// Names chosen by the vendor (`properties`, `components/schemas`, `headers`): every key,
    /// `x-` ones included, holds an object of keywords.
    Names,
    /// Names in a map that is itself extensible (`paths`, `responses`, `callbacks`): `x-`
    /// keys are extensions, the others hold objects of keywords.
    Extensible,
    /// Literal data: examples, defaults, enum values.
    Literal,
    /// The inside of an `x-` extension: the vendor's own content.
    Extension,
}

/// Keywords whose value is literal data.
const LITERAL: [&str; 5] = ["example", "default", "enum", "const", "value"];

/// Keywords whose value, when an object, is a map of names.
const NAME_MAPS: [&str; 17] = [
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
    "schemas",
    "securitySchemes",
    "securityDefinitions",
    "headers",
    "content",
    "encoding",
    "examples",
    "requestBodies",
    "links",
    "pathItems",
    "parameters",
    "scopes",
];

/// Keywords whose value is a map of names that may also hold `x-` extensions.
const EXTENSIBLE_MAPS: [&str; 4] = ["paths", "webhooks", "responses", "callbacks"];

impl Holds {
    /// What the value under `key` holds, in an object whose keys are `self`.
    pub fn child(self, key: &str, value: &Value) -> Holds {
        match self {
            Holds::Literal | Holds::Extension => self,
            Holds::Names => Holds::Keywords,
            Holds::Extensible if key.starts_with("x-") => Holds::Extension,
            Holds::Extensible => Holds::Keywords,
            Holds::Keywords if key.starts_with("x-") => Holds::Extension,
            Holds::Keywords => match key {
                _ if LITERAL.contains(&key) => Holds::Literal,
                // A schema's `examples` (JSON Schema) is a list of values; elsewhere a map of
                // Example objects.
                "examples" if value.is_array() => Holds::Literal,
                _ if NAME_MAPS.contains(&key) && value.is_object() => Holds::Names,
                _ if EXTENSIBLE_MAPS.contains(&key) && value.is_object() => Holds::Extensible,
                _ => Holds::Keywords,
            },
        }
    }

    /// Whether the values under keys of this kind describe the API (not data, not extensions).
    pub fn is_structure(self) -> bool {
        !matches!(self, Holds::Literal | Holds::Extension)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Holds;

    #[test]
    fn an_x_name_is_a_property_not_an_extension() {
        let properties = json!({ "x-id": { "type": "string" } });
        assert_eq!(Holds::Keywords.child("properties", &properties), Holds::Names);
        assert_eq!(Holds::Names.child("x-id", &json!({})), Holds::Keywords);
        assert_eq!(Holds::Keywords.child("x-id", &json!({})), Holds::Extension);
    }

    #[test]
    fn examples_are_data_and_responses_extensible() {
        assert_eq!(Holds::Keywords.child("example", &json!({ "$ref": "#/x" })), Holds::Literal);
        assert_eq!(Holds::Keywords.child("examples", &json!([{ "$ref": "#/x" }])), Holds::Literal);
        assert_eq!(Holds::Keywords.child("examples", &json!({ "one": {} })), Holds::Names);
        assert_eq!(Holds::Names.child("one", &json!({})).child("value", &json!({})), Holds::Literal);
        assert_eq!(Holds::Keywords.child("responses", &json!({})), Holds::Extensible);
        assert_eq!(Holds::Extensible.child("x-codes", &json!({})), Holds::Extension);
        assert_eq!(Holds::Extensible.child("200", &json!({})), Holds::Keywords);
        // A property named like a keyword is a name.
        assert_eq!(Holds::Names.child("enum", &json!({})), Holds::Keywords);
    }
}
