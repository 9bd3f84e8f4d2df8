//! A schema whose own `type` contradicts every one of its `anyOf`/`oneOf` alternatives.

use serde_json::{Map, Value};

use crate::normalize::openapi31::applies_to;
use crate::report::{Change, Rule, Stage};

/// `type: array` beside alternatives that are all objects (as converters write a list of
/// "one of these objects" one level too high) admits no value at all: a value must be an array
/// and an object at once. The generator then emits a type nothing decodes, and every answer
/// carrying it fails. The alternatives describe what the vendor sends (they hold the
/// properties); the outer `type` and the keywords that apply only to it are the stray part, so
/// they are dropped. Only alternatives that state their `type` inline are compared: a
/// reference's target is not read here, and an alternative without a type admits anything.
pub fn drop_type_contradicting_alternatives(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(own) = schema.get("type").and_then(Value::as_str).map(String::from) else { return };
    let Some((keyword, members)) =
        ["anyOf", "oneOf"].into_iter().find_map(|k| schema.get(k).and_then(Value::as_array).map(|m| (k, m)))
    else {
        return;
    };
    let member_types: Option<Vec<String>> =
        members.iter().map(|m| m.get("type").and_then(Value::as_str).map(String::from)).collect();
    let Some(member_types) = member_types.filter(|types| !types.is_empty()) else { return };
    if member_types.iter().any(|member| compatible(&own, member)) {
        return;
    }
    let mut before = Map::new();
    for key in schema.keys().filter(|k| *k == "type" || applies_to(&own, k)).cloned().collect::<Vec<_>>() {
        if let Some(value) = schema.remove(&key) {
            before.insert(key, value);
        }
    }
    changes.push(
        Change::new(Stage::Normalize, Rule::TypeContradictingAlternativesDropped, at)
            .values(Some(Value::Object(before)), None)
            .note(format!(
                "`type: {own}` beside `{keyword}` alternatives of type {}: no value is both; the alternatives kept",
                member_types.join(", ")
            )),
    );
}

/// Whether a value can have both JSON types (an integer is a number).
fn compatible(own: &str, member: &str) -> bool {
    own == member || matches!((own, member), ("number", "integer") | ("integer", "number"))
}
