//! Error responses decoded by their status, never guessed by their shape.
//!
//! The generator needs all error responses of an operation to share one type. When they do
//! not (a 403 `{error, message}` beside `{meta, error{code, message}}` elsewhere), each error
//! body is given to the generator as any JSON value, and the operation is marked
//! [`ERRORS_BY_STATUS`] with the component each status decodes into; the generated client then
//! decodes a 403 as the 403's type, and so on, into an enum with one variant per documented
//! status (`errors::CreateLinkError::Forbidden`). Inline bodies are lifted into named
//! components first, so each variant holds a readable type. An error response without a JSON
//! body, beside ones with, is left out of the generator's input: the client then returns it as
//! an "unexpected response" carrying status, headers and body.

use heck::ToUpperCamelCase;
use serde_json::{json, Value};

use super::{schemas_mut, unique_schema_name};

/// The extension on an operation whose error bodies differ: `{status: {schema, description}}`,
/// `schema` a `$ref` to the component the status's body decodes into (a reference, so that
/// whatever follows references, such as splitting the document per server, keeps it).
pub const ERRORS_BY_STATUS: &str = "x-codegen-errors-by-status";
use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

/// Whether a response status key is an error for the generator (4xx, 5xx, ranges, `default`).
fn is_error_status(status: &str) -> bool {
    status == "default" || status.starts_with('4') || status.starts_with('5')
}

/// The response a status points at (following a `$ref` into components), and its component name.
fn resolve_response<'a>(response: &'a Value, root: &'a Value) -> (Option<String>, &'a Value) {
    match response.get("$ref").and_then(Value::as_str).and_then(pointer::component_ref) {
        Some(("responses", name)) => {
            let target = root.pointer(&pointer::child("/components/responses", &name)).unwrap_or(response);
            (Some(name), target)
        }
        _ => (None, response),
    }
}

fn json_schema(response: &Value) -> Option<&Value> {
    response.pointer("/content/application~1json/schema")
}

/// Gives each operation of `document` one error type for the generator, marking those whose
/// error bodies differ to be decoded by status.
pub fn unify_error_bodies(document: &mut Value, changes: &mut Vec<Change>) {
    let mut plans = Vec::new();
    // Plans are made on the document as it is and applied after, so no copy of it is needed.
    let root: &Value = document;
    for (path, item) in root.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !crate::model::walk::is_operation_key(method) {
                continue;
            }
            if let Some(plan) = plan_operation(path, method, operation, root) {
                plans.push(plan);
            }
        }
    }
    for plan in plans {
        apply(document, plan, changes);
    }
}

struct Plan {
    path: String,
    method: String,
    operation_id: String,
    /// (status, component name of the response if it was a `$ref`, resolved response)
    errors: Vec<(String, Option<String>, Value)>,
}

fn plan_operation(path: &str, method: &str, operation: &Value, root: &Value) -> Option<Plan> {
    let responses = operation.get("responses")?.as_object()?;
    let errors: Vec<(String, Option<String>, Value)> = responses
        .iter()
        .filter(|(status, _)| is_error_status(status))
        .map(|(status, response)| {
            let (name, resolved) = resolve_response(response, root);
            (status.clone(), name, resolved.clone())
        })
        .collect();
    let mut distinct: Vec<&Value> = Vec::new();
    for schema in errors.iter().filter_map(|(_, _, r)| json_schema(r)) {
        if !distinct.contains(&schema) {
            distinct.push(schema);
        }
    }
    let bodiless = errors.iter().any(|(_, _, r)| json_schema(r).is_none());
    let shapes_differ = distinct.len() >= 2;
    let bodiless_beside_typed = bodiless && !distinct.is_empty();
    if !shapes_differ && !bodiless_beside_typed {
        return None;
    }
    let operation_id = operation.get("operationId")?.as_str()?.to_string();
    Some(Plan { path: path.into(), method: method.into(), operation_id, errors })
}

fn apply(document: &mut Value, plan: Plan, changes: &mut Vec<Change>) {
    let operation_at = pointer::child(&pointer::child("/paths", &plan.path), &plan.method);
    let responses_at = pointer::child(&operation_at, "responses");
    let mut variants: Vec<Value> = Vec::new();
    let mut by_status = serde_json::Map::new();
    for (status, response_name, response) in &plan.errors {
        let Some(schema) = json_schema(response) else { continue };
        let variant = if schema.get("$ref").is_some() {
            schema.clone()
        } else {
            let base = match response_name {
                Some(name) => name.to_upper_camel_case(),
                None => format!("{}{status}Error", plan.operation_id.to_upper_camel_case()),
            };
            let existing = document.pointer(&pointer::child("/components/schemas", &base));
            let name =
                if existing.is_none() || existing == Some(schema) { base } else { unique_schema_name(document, &base) };
            let reference = json!({ "$ref": pointer::component_ref_to("schemas", &name) });
            if existing.is_none() {
                schemas_mut(document).insert(name.clone(), schema.clone());
                changes.push(
                    Change::new(Stage::Lower, Rule::SchemaLifted, pointer::child(&responses_at, status))
                        .values(None, Some(reference.clone()))
                        .note(format!("inline error body named {name}")),
                );
            }
            reference
        };
        let description = response.get("description").cloned().unwrap_or_else(|| json!(""));
        by_status.insert(status.clone(), json!({ "schema": variant.clone(), "description": description }));
        if !variants.contains(&variant) {
            variants.push(variant);
        }
    }
    let by_status = (variants.len() > 1).then_some(by_status);
    if let Some(by_status) = &by_status {
        changes.push(
            Change::new(Stage::Lower, Rule::ErrorsByStatus, responses_at.clone())
                .values(
                    None,
                    Some(Value::Object(by_status.iter().map(|(s, v)| (s.clone(), v["schema"].clone())).collect())),
                )
                .note(format!("{} error body shapes, each decoded by its status", variants.len())),
        );
    }
    let shared = if by_status.is_some() { Some(json!({})) } else { variants.into_iter().next() };
    let Some(Value::Object(operation)) = document.pointer_mut(&operation_at) else { return };
    if let Some(by_status) = by_status {
        operation.insert(ERRORS_BY_STATUS.into(), Value::Object(by_status));
    }
    let Some(Value::Object(responses)) = operation.get_mut("responses") else { return };
    for (status, _, resolved) in &plan.errors {
        let at = pointer::child(&responses_at, status);
        match (json_schema(resolved).is_some(), &shared) {
            (true, Some(shared)) => {
                let mut inlined = resolved.clone();
                inlined["content"]["application/json"]["schema"] = shared.clone();
                responses.insert(status.clone(), inlined);
            }
            (false, Some(_)) => {
                responses.shift_remove(status);
                changes.push(
                    Change::new(Stage::Lower, Rule::BodilessErrorUntyped, at)
                        .note("no JSON body while other errors have one; the client returns it as an unexpected response with status, headers and body"),
                );
            }
            _ => {}
        }
    }
}
