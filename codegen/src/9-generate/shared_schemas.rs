//! When the type generator fails on the API's shared schemas, before any operation: the schemas
//! at fault are found by bisection and read as any JSON value, so the rest of the API is
//! generated.
//!
//! typify `panic!`s or refuses on shapes it does not handle yet (a `not` it cannot express, a
//! `pattern` its regex engine rejects). Such a failure explains no operation, so the operations'
//! bisection ([`super::find_failing`]) cannot help. Here a run keeps a set of schemas and has
//! every other one replaced by `{}` (any value), which keeps every reference valid: a schema
//! that fails with all the others replaced is at fault on its own. Sets that fail are halved;
//! when a set fails but neither half does, its schemas fail together and all of them are
//! replaced. The cost is about two generator runs per schema at fault per halving, each run
//! over the kept schemas only: bounded by `2 × culprits × log2(schemas)` runs.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::diagnostics::{Diagnostic, Kind};
use crate::model::pointer;

/// The schemas at fault, each with the generator's message.
pub fn find_failing(document: &Value, run: &dyn Fn(&Value) -> Result<(), String>) -> Vec<(String, String)> {
    let names: Vec<String> = schemas(document).map(|s| s.keys().cloned().collect()).unwrap_or_default();
    let mut failing = Vec::new();
    bisect(document, &names, run, &mut failing);
    failing
}

fn schemas(document: &Value) -> Option<&serde_json::Map<String, Value>> {
    document.pointer("/components/schemas")?.as_object()
}

fn bisect(
    document: &Value,
    names: &[String],
    run: &dyn Fn(&Value) -> Result<(), String>,
    out: &mut Vec<(String, String)>,
) {
    if names.is_empty() {
        return;
    }
    let Err(reason) = run(&keeping(document, names)) else { return };
    if names.len() == 1 {
        out.push((names[0].clone(), reason));
        return;
    }
    let before = out.len();
    let (left, right) = names.split_at(names.len() / 2);
    bisect(document, left, run, out);
    bisect(document, right, run, out);
    if out.len() == before {
        // Neither half fails alone: these schemas fail together.
        out.extend(names.iter().map(|name| (name.clone(), reason.clone())));
    }
}

/// `document` with no operations, `names` kept and every other schema as `{}`.
fn keeping(document: &Value, names: &[String]) -> Value {
    let keep: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let mut cut = without_operations(document);
    if let Some(Value::Object(schemas)) = cut.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            if !keep.contains(name.as_str()) {
                *schema = json!({});
            }
        }
    }
    cut
}

/// `document` without operations or webhooks: what the generator makes of the shared schemas.
pub fn without_operations(document: &Value) -> Value {
    let mut cut = document.clone();
    if let Some(root) = cut.as_object_mut() {
        root.insert("paths".into(), json!({}));
        root.remove("webhooks");
    }
    cut
}

/// `document` with each of `failing` read as any JSON value (its description kept), and the
/// warning for each.
pub fn as_any(document: &Value, failing: &[(String, String)]) -> (Value, Vec<Diagnostic>) {
    let mut degraded = document.clone();
    let mut warnings = Vec::new();
    for (name, reason) in failing {
        let at = pointer::child("/components/schemas", name);
        let Some(schema) = degraded.pointer_mut(&at) else { continue };
        let mut any = json!({});
        if let Some(description) = schema.get("description") {
            any["description"] = description.clone();
        }
        *schema = any;
        warnings.push(
            Diagnostic::new(
                Kind::SchemaReadAsAny,
                format!("schema `{name}` is read as any JSON value: the type generator cannot handle it ({reason})"),
            )
            .at(at),
        );
    }
    (degraded, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in generator that refuses any schema with a `not`.
    fn refuses_not(document: &Value) -> Result<(), String> {
        match schemas(document).into_iter().flatten().find(|(_, s)| s.get("not").is_some()) {
            Some((name, _)) => Err(format!("unhandled not in {name}")),
            None => Ok(()),
        }
    }

    #[test]
    fn the_schemas_at_fault_are_found_and_only_they_become_any() {
        let document = json!({"paths": {"/a": {}}, "components": {"schemas": {
            "A": {"type": "string"}, "B": {"not": {"type": "string"}, "description": "b"},
            "C": {"type": "integer"}, "D": {"$ref": "#/components/schemas/B"}, "E": {"not": {}},
        }}});
        let failing = find_failing(&document, &refuses_not);
        let names: Vec<&str> = failing.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["B", "E"]);
        let (degraded, warnings) = as_any(&document, &failing);
        assert_eq!(degraded["components"]["schemas"]["B"], json!({"description": "b"}));
        assert_eq!(degraded["components"]["schemas"]["A"], json!({"type": "string"}));
        assert_eq!(degraded["paths"], json!({"/a": {}}));
        assert_eq!(warnings[1].pointer.as_deref(), Some("/components/schemas/E"));
        assert!(refuses_not(&degraded).is_ok());
    }

    #[test]
    fn schemas_that_fail_only_together_are_all_replaced() {
        let bad = json!({"x-bad": true});
        let document = json!({"components": {"schemas": {"A": {"type": "string"}, "B": bad, "C": bad}}});
        // Fails only while both B and C are themselves.
        let together = |d: &Value| {
            let is_bad = |name: &str| d.pointer(&format!("/components/schemas/{name}")) == Some(&bad);
            if is_bad("B") && is_bad("C") {
                Err("pair".to_string())
            } else {
                Ok(())
            }
        };
        let failing = find_failing(&document, &together);
        let names: Vec<&str> = failing.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["B", "C"]);
    }
}
