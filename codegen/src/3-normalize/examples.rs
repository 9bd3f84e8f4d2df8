//! Does a documented example (or default) agree with its schema?
//!
//! Vendors' examples drift from their schemas: an object example missing a property the schema
//! requires, a value outside the enum, a property a closed schema does not have, a string
//! shorter than its `minLength`. A validating mock (Prism) answers with those examples and
//! refuses them, and a client built from them sends what the server refuses, so the pipeline
//! says so at generation, with the pointer of the first disagreement.
//!
//! This is the subset of JSON Schema validation that examples break in practice, not a full
//! validator: `$ref`, `allOf` (every member), `oneOf`/`anyOf` (some alternative), `type`,
//! `enum`, `const`, `required`, `additionalProperties: false`, `items`, item counts, string
//! lengths and `pattern` (where the `regex` crate reads it), numeric bounds. Formats are
//! not checked (Prism's and vendors' readings of them differ). Properties marked `readOnly` or
//! `writeOnly` are not required: an example is either a request or a response.

use serde_json::{Map, Value};

use crate::model::pointer;

/// How deep `$ref` chains and nesting are followed (cyclic schemas).
const MAX_DEPTH: usize = 32;

/// How many (value, schema) pairs one example may cost: alternatives nested in alternatives
/// multiply, and a large spec has thousands of examples. Past it the example is taken as
/// agreeing (a warning left out, never a false one).
const BUDGET: usize = 20_000;

/// The first way `value` contradicts `schema` (references resolved in `root`): the pointer
/// into the value (`""` for the value itself) and why. `None` when it agrees.
pub fn contradiction(value: &Value, schema: &Value, root: &Value) -> Option<(String, String)> {
    let mut checker = Checker { root, budget: BUDGET };
    let found = checker.check(value, schema, "", 0);
    found.filter(|_| checker.budget > 0)
}

struct Checker<'a> {
    root: &'a Value,
    budget: usize,
}

impl Checker<'_> {
    fn check(&mut self, value: &Value, schema: &Value, at: &str, depth: usize) -> Option<(String, String)> {
        if depth > MAX_DEPTH || self.budget == 0 {
            return None;
        }
        self.budget -= 1;
        let root = self.root;
        let schema = pointer::resolve(schema, root);
        let object = schema.as_object()?;
        if value.is_null() && allows_null(object) {
            return None;
        }
        for member in object.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            if let Some(found) = self.check(value, member, at, depth + 1) {
                return Some(found);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = object.get(key).and_then(Value::as_array).filter(|a| !a.is_empty()) {
                let mut first = None;
                for alternative in alternatives {
                    match self.check(value, alternative, at, depth + 1) {
                        None => {
                            first = None;
                            break;
                        }
                        Some(found) => {
                            first.get_or_insert(found);
                        }
                    }
                }
                if let Some((at, why)) = first {
                    return Some((at, format!("matches none of its `{key}` alternatives (first: {why})")));
                }
            }
        }
        let fail = |why: String| Some((at.to_string(), why));
        if let Some(types) = declared_types(object) {
            if !types.iter().any(|t| is_of_type(value, t)) {
                return fail(format!("{} is not of type {}", shape(value), types.join(" or ")));
            }
        }
        if let Some(allowed) = object.get("enum").and_then(Value::as_array) {
            if !allowed.iter().any(|a| same(a, value)) {
                return fail(format!("{} is not one of the enum values", excerpt(value)));
            }
        }
        if let Some(constant) = object.get("const") {
            if !same(constant, value) {
                return fail(format!("{} is not the constant {}", excerpt(value), excerpt(constant)));
            }
        }
        match value {
            Value::Object(fields) => self.check_object(fields, object, at, depth),
            Value::Array(items) => self.check_array(items, object, at, depth),
            Value::String(text) => check_string(text, object).and_then(fail),
            Value::Number(number) => check_number(number.as_f64()?, object).and_then(fail),
            _ => None,
        }
    }

    fn check_object(
        &mut self,
        fields: &Map<String, Value>,
        schema: &Map<String, Value>,
        at: &str,
        depth: usize,
    ) -> Option<(String, String)> {
        let root = self.root;
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            let property = properties.and_then(|p| p.get(name)).map(|p| pointer::resolve(p, root));
            let one_sided =
                ["readOnly", "writeOnly"].iter().any(|k| property.and_then(|p| p.get(*k)) == Some(&Value::Bool(true)));
            if !fields.contains_key(name) && !one_sided {
                return Some((at.to_string(), format!("the required property `{name}` is missing")));
            }
        }
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (name, field) in fields {
            let here = pointer::child(at, name);
            let field_schema = match properties.and_then(|p| p.get(name)) {
                Some(property) => property,
                None if closed && !schema.contains_key("allOf") => {
                    return Some((here, format!("`{name}` is not a property of the schema, which allows no others")));
                }
                None => match schema.get("additionalProperties").filter(|a| a.is_object()) {
                    Some(additional) => additional,
                    None => continue,
                },
            };
            if let Some(found) = self.check(field, field_schema, &here, depth + 1) {
                return Some(found);
            }
        }
        None
    }

    fn check_array(
        &mut self,
        items: &[Value],
        schema: &Map<String, Value>,
        at: &str,
        depth: usize,
    ) -> Option<(String, String)> {
        let count = items.len() as u64;
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64).filter(|min| count < *min) {
            return Some((at.to_string(), format!("{count} item(s), fewer than minItems {min}")));
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64).filter(|max| count > *max) {
            return Some((at.to_string(), format!("{count} item(s), more than maxItems {max}")));
        }
        let item_schema = schema.get("items")?;
        items
            .iter()
            .enumerate()
            .find_map(|(index, item)| self.check(item, item_schema, &format!("{at}/{index}"), depth + 1))
    }
}

fn check_string(text: &str, schema: &Map<String, Value>) -> Option<String> {
    let length = text.chars().count() as u64;
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64).filter(|min| length < *min) {
        return Some(format!("{} is shorter than minLength {min}", excerpt(&Value::from(text))));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64).filter(|max| length > *max) {
        return Some(format!("{} is longer than maxLength {max}", excerpt(&Value::from(text))));
    }
    let pattern = schema.get("pattern").and_then(Value::as_str)?;
    // The `regex` crate matches in linear time (a backtracking engine hung on a vendor's
    // pattern for minutes). ECMAScript it cannot read (lookaround, backreferences) is skipped:
    // a pattern we cannot read is not the example's fault.
    let regex = regex::RegexBuilder::new(pattern).size_limit(1 << 20).build().ok()?;
    (!regex.is_match(text)).then(|| format!("{} does not match the pattern {pattern}", excerpt(&Value::from(text))))
}

fn check_number(number: f64, schema: &Map<String, Value>) -> Option<String> {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let flag = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    if let Some(min) = bound("minimum") {
        if number < min || (flag("exclusiveMinimum") && number <= min) {
            return Some(format!("{number} is below the minimum {min}"));
        }
    }
    if let Some(max) = bound("maximum") {
        if number > max || (flag("exclusiveMaximum") && number >= max) {
            return Some(format!("{number} is above the maximum {max}"));
        }
    }
    if bound("exclusiveMinimum").is_some_and(|min| number <= min) {
        return Some(format!("{number} is not above the exclusive minimum"));
    }
    if bound("exclusiveMaximum").is_some_and(|max| number >= max) {
        return Some(format!("{number} is not below the exclusive maximum"));
    }
    None
}

/// The JSON types a schema declares (`type`, a name or a list, and `null` when `nullable`);
/// `None` when it declares none.
pub fn declared_types(schema: &Map<String, Value>) -> Option<Vec<&str>> {
    let mut types: Vec<&str> = match schema.get("type")? {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        types.push("null");
    }
    Some(types)
}

fn allows_null(schema: &Map<String, Value>) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || declared_types(schema).is_some_and(|types| types.contains(&"null"))
        || schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.contains(&Value::Null))
}

fn is_of_type(value: &Value, name: &str) -> bool {
    match name {
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// JSON equality where `1` and `1.0` are the same number.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn shape(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "an array".into(),
        other => excerpt(other),
    }
}

fn excerpt(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn root() -> Value {
        json!({"components": {"schemas": {
            "Mode": {"type": "string", "enum": ["human", "json"]},
            "Pet": {"type": "object", "required": ["id", "name"], "additionalProperties": false, "properties": {
                "id": {"type": "integer", "readOnly": true},
                "name": {"type": "string", "minLength": 2},
                "tags": {"type": "array", "maxItems": 2, "items": {"type": "string", "pattern": "^[a-z]+$"}}}}
        }}})
    }

    fn why(value: Value, schema: Value) -> Option<(String, String)> {
        contradiction(&value, &schema, &root())
    }

    #[test]
    fn an_example_missing_a_required_property_is_found_but_a_read_only_one_may_be_absent() {
        let pet = json!({"$ref": "#/components/schemas/Pet"});
        assert_eq!(why(json!({"name": "Rex"}), pet.clone()), None, "id is readOnly: a request omits it");
        let (at, reason) = why(json!({"id": 1}), pet.clone()).unwrap();
        assert_eq!((at.as_str(), reason.as_str()), ("", "the required property `name` is missing"));
        let list = json!({"type": "array", "items": pet});
        let (at, reason) = why(json!([{"name": "Rex"}, {"name": "Fido", "colour": "red"}]), list).unwrap();
        assert_eq!(at, "/1/colour");
        assert!(reason.contains("allows no others"), "{reason}");
    }

    #[test]
    fn values_outside_enums_lengths_patterns_and_bounds_are_found() {
        let mode = json!({"oneOf": [{"$ref": "#/components/schemas/Mode"}], "default": "Human"});
        let (_, reason) = why(json!("Human"), mode.clone()).unwrap();
        assert!(reason.contains("none of its `oneOf`") && reason.contains("enum"), "{reason}");
        assert_eq!(why(json!("human"), mode), None);
        let pet = json!({"$ref": "#/components/schemas/Pet"});
        assert_eq!(why(json!({"name": "R"}), pet.clone()).unwrap().0, "/name");
        assert_eq!(why(json!({"name": "Rex", "tags": ["ok", "Bad"]}), pet.clone()).unwrap().0, "/tags/1");
        assert!(why(json!({"name": "Rex", "tags": ["a", "b", "c"]}), pet).unwrap().1.contains("maxItems 2"));
        assert!(why(json!(0), json!({"type": "integer", "minimum": 1})).is_some());
        assert!(why(json!(5), json!({"type": "integer", "exclusiveMaximum": 5})).is_some());
        assert_eq!(why(json!(2.0), json!({"type": "integer", "enum": [1, 2]})), None);
    }

    #[test]
    fn nullable_any_of_and_unknown_patterns_are_not_faults() {
        assert_eq!(why(Value::Null, json!({"type": "string", "nullable": true})), None);
        assert_eq!(why(Value::Null, json!({"type": ["string", "null"]})), None);
        assert_eq!(why(json!(3), json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})), None);
        assert_eq!(why(json!("x"), json!({"type": "string", "pattern": "(?<=a)b"})), None, "lookbehind: not read");
        let nested = json!({"type": "string", "pattern": "^(a+)+$"});
        assert!(why(json!(format!("{}!", "a".repeat(64))), nested).is_some(), "no catastrophic backtracking");
        assert!(why(json!("3"), json!({"type": "integer"})).is_some());
    }
}
