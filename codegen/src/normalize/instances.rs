//! Example, default and enum values whose JSON type contradicts their schema.
//!
//! `"example": "5000"` on an integer schema is a vendor's renderer quoting everything; the value
//! meant is `5000`. A value is converted only when the conversion is lossless and the schema's
//! type says what it must be; anything else is left as it is, with a warning for examples and an
//! error for enum values (a generated enum cannot hold a value of the wrong type).

use serde_json::Value;

use super::keywords::{parse_bool, parse_number};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer;
use crate::report::{Change, Rule, Stage};

/// How deep `$ref` chains and nesting are followed before giving up (cyclic schemas).
const MAX_DEPTH: usize = 32;

/// Converts `value` (at `at`) to agree with `schema`, looking `$ref`s up in `root`.
///
/// Returns whether a value that no rule could convert was left contradicting its schema.
pub fn coerce_instance(
    value: &mut Value,
    schema: &Value,
    root: &Value,
    at: &str,
    changes: &mut Vec<Change>,
) -> bool {
    coerce(value, schema, root, at, changes, 0)
}

fn coerce(
    value: &mut Value,
    schema: &Value,
    root: &Value,
    at: &str,
    changes: &mut Vec<Change>,
    depth: usize,
) -> bool {
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
        (Some("integer"), Value::String(s)) => {
            parse_number(s).map(|(n, _)| n).filter(|n| n.is_i64() || n.is_u64())
        }
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

/// Converts the enum values of a schema to the schema's type; values that cannot be are errors.
pub fn coerce_enum(
    schema: &mut serde_json::Map<String, Value>,
    root: &Value,
    at: &str,
    changes: &mut Vec<Change>,
    problems: &mut Diagnostics,
) {
    let Some(declared) = schema.get("type").cloned() else { return };
    let item_schema = serde_json::json!({ "type": declared });
    let Some(Value::Array(values)) = schema.get_mut("enum") else { return };
    for (index, value) in values.iter_mut().enumerate() {
        let here = format!("{}/{index}", pointer::child(at, "enum"));
        if coerce(value, &item_schema, root, &here, changes, 0) {
            problems.push(
                Diagnostic::error(format!("enum value {value} is not of the schema's type {declared}"))
                    .at(here)
                    .help("correct the value (or the schema's `type`) with an overlay action beside the page"),
            );
        }
    }
}
