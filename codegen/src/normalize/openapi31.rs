//! OpenAPI 3.1 documents, converted to 3.0 before the other rules run.
//!
//! 3.1 aligned schemas with JSON Schema 2020-12; the generator reads 3.0. Each difference that
//! has a 3.0 spelling is rewritten and recorded: a `type` array with `"null"` becomes `nullable`,
//! `const` a one-value `enum`, a schema's `examples` array its first `example`, numeric
//! `exclusiveMinimum`/`exclusiveMaximum` a bound with the boolean flag, an `anyOf`/`oneOf`
//! member `{type: null}` becomes `nullable`. What 3.0 has no place for (`webhooks`,
//! `jsonSchemaDialect`, `$schema`, `info.license.identifier`, `info.summary`) is dropped, recorded.

use serde_json::{json, Map, Value};

use super::walk::{walk, Kind, Visitor};
use crate::pointer;
use crate::report::{Change, Rule, Stage};

/// Whether `document` declares OpenAPI 3.1.
pub fn is_openapi_31(document: &Value) -> bool {
    document.get("openapi").and_then(Value::as_str).is_some_and(|v| v.trim().starts_with("3.1"))
}

fn record(changes: &mut Vec<Change>, at: String, before: Option<Value>, after: Option<Value>, note: &str) {
    changes.push(Change::new(Stage::Normalize, Rule::OpenApi31Converted, at).values(before, after).note(note));
}

/// Converts a 3.1 document to 3.0 in place, returning what changed.
pub fn convert(document: &mut Value) -> Vec<Change> {
    let mut changes = Vec::new();
    if !is_openapi_31(document) {
        return changes;
    }
    let Some(root) = document.as_object_mut() else { return changes };
    let before = root.insert("openapi".into(), json!("3.0.3"));
    record(&mut changes, "/openapi".into(), before, Some(json!("3.0.3")), "read as OpenAPI 3.0");
    for key in ["webhooks", "jsonSchemaDialect"] {
        if let Some(old) = root.remove(key) {
            let shown = if key == "webhooks" { json!(old.as_object().map_or(0, Map::len)) } else { old };
            record(&mut changes, format!("/{key}"), Some(shown), None, "OpenAPI 3.0 has no place for it; dropped");
        }
    }
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if let Some(old) = info.remove("summary") {
            record(&mut changes, "/info/summary".into(), Some(old), None, "OpenAPI 3.0's info has no summary; dropped");
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            if let Some(old) = license.remove("identifier") {
                record(&mut changes, "/info/license/identifier".into(), Some(old), None, "OpenAPI 3.0's license has no SPDX identifier; dropped");
            }
        }
    }
    walk(&mut Schemas { changes: &mut changes }, Kind::Document, document, "");
    changes
}

struct Schemas<'a> {
    changes: &'a mut Vec<Change>,
}

impl Visitor for Schemas<'_> {
    fn visit(&mut self, kind: Kind, schema: &mut Map<String, Value>, at: &str) {
        if kind != Kind::Schema {
            return;
        }
        let here = |key: &str| pointer::child(at, key);
        for key in ["$schema", "$id", "$comment"] {
            if let Some(old) = schema.remove(key) {
                record(self.changes, here(key), Some(old), None, "a JSON Schema keyword OpenAPI 3.0 does not have; dropped");
            }
        }
        if let Some(Value::Array(types)) = schema.get("type").cloned() {
            let nullable = types.iter().any(|t| t == "null");
            let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
            let before = schema.remove("type");
            match rest.as_slice() {
                [] => {}
                [single] => {
                    schema.insert("type".into(), single.clone());
                }
                several => {
                    let variants: Vec<Value> = several.iter().map(|t| json!({ "type": t })).collect();
                    schema.insert("anyOf".into(), Value::Array(variants));
                }
            }
            if nullable {
                schema.insert("nullable".into(), Value::Bool(true));
            }
            record(self.changes, here("type"), before, schema.get("type").cloned().or_else(|| schema.get("anyOf").cloned()), "a type array: one type, `null` as nullable, several as anyOf");
        }
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = schema.get_mut(key) else { continue };
            let before = members.len();
            members.retain(|m| m.get("type") != Some(&json!("null")) || m.as_object().is_some_and(|o| o.len() > 1));
            if members.len() < before {
                let single = (members.len() == 1).then(|| members[0].clone());
                schema.insert("nullable".into(), Value::Bool(true));
                if let Some(single) = single {
                    schema.remove(key);
                    schema.insert("allOf".into(), Value::Array(vec![single]));
                }
                record(self.changes, here(key), None, Some(json!({ "nullable": true })), "a `{type: null}` member as nullable");
            }
        }
        if let Some(value) = schema.remove("const") {
            schema.insert("enum".into(), Value::Array(vec![value.clone()]));
            record(self.changes, here("const"), Some(value.clone()), Some(json!([value])), "const as a one-value enum");
        }
        if let Some(Value::Array(examples)) = schema.get("examples").cloned() {
            schema.remove("examples");
            if let Some(first) = examples.first() {
                schema.entry("example").or_insert_with(|| first.clone());
            }
            record(self.changes, here("examples"), Some(Value::Array(examples.clone())), examples.first().cloned(), "a schema's examples array as its first example");
        }
        for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(limit) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
                schema.insert(bound.into(), limit.clone());
                schema.insert(exclusive.into(), Value::Bool(true));
                record(self.changes, here(exclusive), Some(limit), Some(json!(true)), "a numeric exclusive bound as the bound and the 3.0 flag");
            }
        }
    }
}
