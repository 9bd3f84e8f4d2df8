//! Example, default and enum values whose JSON type contradicts their schema.
//!
//! `"example": "5000"` on an integer schema is a vendor's renderer quoting everything; the value
//! meant is `5000`. A value is converted only when the conversion is lossless and the schema's
//! type says what it must be; anything else is left as it is, with a warning for examples and an
//! error for enum values (a generated enum cannot hold a value of the wrong type).

use serde_json::Value;

use super::keywords::{parse_bool, parse_number};
use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

/// How deep `$ref` chains and nesting are followed before giving up (cyclic schemas).
const MAX_DEPTH: usize = 32;

/// Converts `value` (at `at`) to agree with `schema`, looking `$ref`s up in `root`.
///
/// Returns whether a value that no rule could convert was left contradicting its schema.
pub fn coerce_instance(value: &mut Value, schema: &Value, root: &Value, at: &str, changes: &mut Vec<Change>) -> bool {
    coerce(value, schema, root, at, changes, 0)
}

fn coerce(value: &mut Value, schema: &Value, root: &Value, at: &str, changes: &mut Vec<Change>, depth: usize) -> bool {
    if depth > MAX_DEPTH || value.is_null() {
        return false;
    }
    let schema = pointer::resolve(schema, root);
    let mut mismatch = false;
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        for member in members {
            mismatch |= coerce(value, member, root, at, changes, depth + 1);
        }
    }
    let declared = schema.get("type").and_then(Value::as_str);
    let converted = match (declared, &*value) {
        (Some("integer"), Value::String(s)) => parse_number(s).map(|(n, _)| n).filter(|n| n.is_i64() || n.is_u64()),
        (Some("number"), Value::String(s)) => parse_number(s).map(|(n, _)| n),
        (Some("boolean"), Value::String(s)) => parse_bool(s).map(Value::Bool),
        (Some("string"), Value::Number(n)) => Some(Value::String(n.to_string())),
        (Some("string"), Value::Bool(b)) => Some(Value::String(b.to_string())),
        _ => None,
    };
    if let Some(fixed) = converted {
        changes.push(
            Change::new(Stage::Normalize, Rule::InstanceTypeCoerced, at)
                .values(Some(value.clone()), Some(fixed.clone())),
        );
        *value = fixed;
        return mismatch;
    }
    mismatch |= match (declared, &*value) {
        (Some("integer"), v) => !v.is_i64() && !v.is_u64(),
        (Some("number"), v) => !v.is_number(),
        (Some("boolean"), v) => !v.is_boolean(),
        (Some("string"), v) => !v.is_string(),
        (Some("array"), v) => !v.is_array(),
        (Some("object"), v) => !v.is_object(),
        _ => false,
    };
    match value {
        Value::Object(fields) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            for (name, field) in fields.iter_mut() {
                let field_schema = properties.and_then(|p| p.get(name)).or(additional);
                if let Some(field_schema) = field_schema {
                    let here = pointer::child(at, name);
                    mismatch |= coerce(field, field_schema, root, &here, changes, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter_mut().enumerate() {
                    let here = format!("{at}/{index}");
                    mismatch |= coerce(item, item_schema, root, &here, changes, depth + 1);
                }
            }
        }
        _ => {}
    }
    mismatch
}

/// Converts the enum values of a schema to the schema's type. Where the values and the type
/// disagree as a whole, the values are taken as the vendor's intent (they are what the server
/// sends and accepts) and the schema is repaired around them:
///
/// - an `array` schema whose enum lists item values gets the enum on its `items`;
/// - an enum written as one nested list (`enum: [[a, b]]`) is unwrapped;
/// - values that all share one JSON type other than the declared one retype the schema.
///
/// Values of mixed types that no rule can convert are errors.
pub fn coerce_enum(
    schema: &mut serde_json::Map<String, Value>,
    root: &Value,
    at: &str,
    changes: &mut Vec<Change>,
    problems: &mut Diagnostics,
) {
    let Some(declared) = schema.get("type").and_then(Value::as_str).map(str::to_string) else { return };
    let Some(Value::Array(values)) = schema.get("enum") else { return };
    if declared == "array" && !values.iter().any(Value::is_array) && !values.is_empty() {
        move_enum_to_items(schema, at, changes);
        return;
    }
    if declared != "array" {
        if let [Value::Array(inner)] = values.as_slice() {
            let inner = Value::Array(inner.clone());
            changes.push(
                Change::new(Stage::Normalize, Rule::EnumRepaired, pointer::child(at, "enum"))
                    .values(schema.get("enum").cloned(), Some(inner.clone()))
                    .note("the values were written as one nested list"),
            );
            schema.insert("enum".into(), inner);
        }
    }
    let item_schema = serde_json::json!({ "type": declared });
    let mut scratch = Vec::new();
    let Some(Value::Array(values)) = schema.get("enum") else { return };
    let mut trial = values.clone();
    let stuck: Vec<usize> =
        (0..trial.len()).filter(|&i| coerce(&mut trial[i], &item_schema, root, "", &mut scratch, 0)).collect();
    if stuck.is_empty() {
        coerce_values(schema, &item_schema, root, at, changes);
        return;
    }
    if let Some(common) = common_json_type(values) {
        let before = schema.insert("type".into(), Value::String(common.into()));
        let mut change = Change::new(Stage::Normalize, Rule::EnumRepaired, pointer::child(at, "type"))
            .values(before, Some(Value::String(common.into())))
            .note("every enum value is of this type, so the declared type was wrong");
        if let Some(format) = schema.remove("format") {
            change = change.note(format!(
                "every enum value is of this type, so the declared type was wrong; format {format} dropped with it"
            ));
        }
        changes.push(change);
        return;
    }
    let Some(Value::Array(values)) = schema.get("enum") else { return };
    for index in stuck {
        problems.push(
            Diagnostic::new(
                diagnostics::Kind::EnumValueType,
                format!("enum value {} is not of the schema's type {declared:?}", values[index]),
            )
            .at(format!("{}/{index}", pointer::child(at, "enum"))),
        );
    }
}

fn coerce_values(
    schema: &mut serde_json::Map<String, Value>,
    item_schema: &Value,
    root: &Value,
    at: &str,
    changes: &mut Vec<Change>,
) {
    let Some(Value::Array(values)) = schema.get_mut("enum") else { return };
    for (index, value) in values.iter_mut().enumerate() {
        let here = format!("{}/{index}", pointer::child(at, "enum"));
        coerce(value, item_schema, root, &here, changes, 0);
    }
}

/// The one JSON type all non-null `values` have, in OpenAPI's spelling.
fn common_json_type(values: &[Value]) -> Option<&'static str> {
    let mut kinds = values.iter().filter(|v| !v.is_null()).map(|v| match v {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        _ => "object",
    });
    let first = kinds.next()?;
    kinds.all(|k| k == first).then_some(first)
}

/// `{type: array, enum: [a, b]}` means "an array of a and b": the enum belongs to the items.
fn move_enum_to_items(schema: &mut serde_json::Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let items_enum = schema.get("items").and_then(|i| i.get("enum"));
    let items_is_ref = schema.get("items").is_some_and(|i| i.get("$ref").is_some());
    if items_enum.is_some() || items_is_ref {
        let before = schema.remove("enum");
        changes.push(
            Change::new(Stage::Normalize, Rule::EnumRepaired, pointer::child(at, "enum"))
                .values(before, None)
                .note("an array's enum listed item values; the items already say what they may be"),
        );
        return;
    }
    let Some(values) = schema.remove("enum") else { return };
    let items = schema.entry("items").or_insert_with(|| serde_json::json!({}));
    if let Some(items) = items.as_object_mut() {
        if !items.contains_key("type") {
            if let Some(common) = values.as_array().and_then(|v| common_json_type(v)) {
                items.insert("type".into(), Value::String(common.into()));
            }
        }
        items.insert("enum".into(), values.clone());
    }
    changes.push(
        Change::new(Stage::Normalize, Rule::EnumRepaired, pointer::child(&pointer::child(at, "items"), "enum"))
            .values(None, Some(values))
            .note("moved from the array schema: its enum listed item values"),
    );
}
