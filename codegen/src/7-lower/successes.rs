//! One success type per operation, like [`super::errors`] does for errors.
//!
//! progenitor needs every success response of an operation to share one type. Two shapes in
//! real specs break that:
//! - a `default` response beside explicit 2xx ones: progenitor reads `default` as a possible
//!   success too. It is split into `4XX` and `5XX`, which is what it means beside listed
//!   successes.
//! - several success shapes (a 200 and a 201 with different bodies, or a typed 200 beside a
//!   bodiless 204): the bodies become the variants of a `oneOf` named `<OperationId>Response`,
//!   made nullable when a success has no body. Those bodiless statuses are marked
//!   `x-empty-body-as-null`, and the generated client reads their empty body as `null`, so a 204
//!   decodes as `Ok` with no value and its status, instead of an error.

use heck::ToUpperCamelCase;
use serde_json::{json, Value};

use super::{schemas_mut, unique_schema_name};
use crate::model::pointer;
use crate::model::walk::is_operation_key;
use crate::report::{Change, Rule, Stage};

/// The extension marking a success response whose empty body the client reads as `null`.
pub const EMPTY_BODY_AS_NULL: &str = "x-empty-body-as-null";

fn json_schema(response: &Value) -> Option<&Value> {
    response.pointer("/content/application~1json/schema")
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Empties every response HTTP forbids a body for that is documented with one: `204 No
/// Content`, `205 Reset Content`, and any response to `HEAD`. The server sends none, so a client
/// expecting one would turn the documented success into an error.
pub fn empty_bodiless_responses(document: &mut Value, changes: &mut Vec<Change>) {
    let components = document.pointer("/components/responses").cloned().unwrap_or(Value::Null);
    let Some(Value::Object(paths)) = document.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut().filter(|(m, _)| is_operation_key(m)) {
            let Some(Value::Object(responses)) = operation.get_mut("responses") else { continue };
            for (status, response) in responses.iter_mut() {
                if method != "head" && status != "204" && status != "205" {
                    continue;
                }
                let target = match response.get("$ref").and_then(Value::as_str).and_then(pointer::component_ref) {
                    Some(("responses", name)) => components.get(&name).cloned().unwrap_or(Value::Null),
                    _ => response.clone(),
                };
                let Some(content) = target.get("content").filter(|c| c.as_object().is_some_and(|c| !c.is_empty()))
                else {
                    continue;
                };
                let description = target.get("description").cloned().unwrap_or_else(|| json!(""));
                let at = pointer::child(&format!("/paths/{}/{method}/responses", pointer::escape(path)), status);
                changes.push(
                    Change::new(Stage::Lower, Rule::BodilessResponseEmptied, format!("{at}/content"))
                        .values(Some(content.clone()), None)
                        .note(if method == "head" {
                            "a response to HEAD never has a body"
                        } else {
                            "HTTP forbids a body with this status; the client expects none"
                        }),
                );
                *response = json!({ "description": description });
            }
        }
    }
}

/// Splits `default` into `4XX` and `5XX` where explicit successes are listed.
pub fn split_default_responses(document: &mut Value, changes: &mut Vec<Change>) {
    let Some(Value::Object(paths)) = document.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut().filter(|(m, _)| is_operation_key(m)) {
            let Some(Value::Object(responses)) = operation.get_mut("responses") else { continue };
            if !responses.keys().any(|s| is_success(s)) {
                continue;
            }
            let Some(default) = responses.shift_remove("default") else { continue };
            for range in ["4XX", "5XX"] {
                responses.entry(range.to_string()).or_insert_with(|| default.clone());
            }
            let at = pointer::child(&pointer::child(&pointer::child("/paths", path), method), "responses");
            changes.push(
                Change::new(Stage::Lower, Rule::DefaultResponseSplit, pointer::child(&at, "default"))
                    .values(None, Some(json!(["4XX", "5XX"])))
                    .note("beside listed successes, `default` means every other status: an error"),
            );
        }
    }
}

/// Gives every operation one success type.
pub fn unify_success_bodies(document: &mut Value, changes: &mut Vec<Change>) {
    // Plans are made on the document as it is and applied after, so no copy of it is needed.
    let root: &Value = document;
    let mut plans = Vec::new();
    for (path, item) in root.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            let Some(responses) = operation.get("responses").and_then(Value::as_object) else { continue };
            let successes: Vec<(&String, &Value)> =
                responses.iter().filter(|(s, _)| is_success(s)).map(|(s, r)| (s, pointer::resolve(r, root))).collect();
            let mut distinct: Vec<&Value> = Vec::new();
            for schema in successes.iter().filter_map(|(_, r)| json_schema(r)) {
                if !distinct.contains(&schema) {
                    distinct.push(schema);
                }
            }
            // Only JSON and no-content successes can share a type; other media types are raw.
            let bodiless: Vec<String> = successes
                .iter()
                .filter(|(_, r)| r.get("content").and_then(Value::as_object).is_none_or(|c| c.is_empty()))
                .map(|(s, _)| (*s).clone())
                .collect();
            let raw = successes.iter().any(|(_, r)| {
                json_schema(r).is_none() && r.get("content").and_then(Value::as_object).is_some_and(|c| !c.is_empty())
            });
            if raw || distinct.is_empty() || (distinct.len() == 1 && bodiless.is_empty()) {
                continue;
            }
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            let successes: Vec<(String, Value)> = successes.into_iter().map(|(s, r)| (s.clone(), r.clone())).collect();
            let distinct: Vec<Value> = distinct.into_iter().cloned().collect();
            plans.push((path.clone(), method.clone(), id.to_string(), successes, distinct, bodiless));
        }
    }
    for (path, method, id, successes, distinct, bodiless) in plans {
        let name = unique_schema_name(document, &format!("{}Response", id.to_upper_camel_case()));
        let nullable = !bodiless.is_empty();
        let union = if distinct.len() == 1 {
            json!({ "allOf": [distinct[0].clone()], "nullable": nullable })
        } else {
            json!({ "oneOf": distinct, "nullable": nullable })
        };
        schemas_mut(document).insert(name.clone(), union);
        let reference = json!({ "$ref": pointer::component_ref_to("schemas", &name) });
        let at = pointer::child(&pointer::child(&pointer::child("/paths", &path), &method), "responses");
        let Some(Value::Object(responses)) = document.pointer_mut(&at) else { continue };
        for (status, resolved) in successes {
            let mut inlined = resolved;
            if bodiless.contains(&status) {
                inlined[EMPTY_BODY_AS_NULL] = Value::Bool(true);
            }
            inlined["content"] = json!({ "application/json": { "schema": reference.clone() } });
            responses.insert(status, inlined);
        }
        let note = if nullable {
            format!(
                "{} body shape(s) and no-content status(es) {} become {name} (nullable)",
                distinct.len(),
                bodiless.join(", ")
            )
        } else {
            format!("{} success body shapes become the variants of {name}", distinct.len())
        };
        changes
            .push(Change::new(Stage::Lower, Rule::SuccessBodiesUnified, at).values(None, Some(reference)).note(note));
    }
}
