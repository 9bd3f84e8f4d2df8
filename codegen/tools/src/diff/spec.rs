//! Comparing two documents operation by operation.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::schema::{compare, At, Flow, Roots};
use super::{ApiChange, Impact};
use codegen::model::pointer;
use codegen::model::walk::is_operation_key;

/// Every operation as `METHOD /path` → (path item, operation).
fn operations(document: &Value) -> BTreeMap<String, (&Value, &Value)> {
    let mut out = BTreeMap::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            out.insert(format!("{} {path}", method.to_uppercase()), (item, operation));
        }
    }
    out
}

fn api_change(
    operation: Option<&str>,
    location: &str,
    rule: &'static str,
    impact: Impact,
    before: Option<Value>,
    after: Option<Value>,
) -> ApiChange {
    ApiChange {
        api: String::new(),
        operation: operation.map(str::to_owned),
        location: location.to_string(),
        rule,
        impact,
        before,
        after,
    }
}

fn first_server(holder: &Value) -> Option<&Value> {
    holder.get("servers")?.as_array()?.first()?.get("url")
}

pub fn diff(old: &Value, new: &Value) -> Vec<ApiChange> {
    use Impact::{Breaking, NonBreaking};
    let roots = Roots { old, new };
    let mut out = Vec::new();
    let (old_ops, new_ops) = (operations(old), operations(new));
    for (name, (_, operation)) in &new_ops {
        if !old_ops.contains_key(name) {
            out.push(api_change(
                Some(name),
                "operation",
                "endpoint-added",
                NonBreaking,
                None,
                operation.get("operationId").cloned(),
            ));
        }
    }
    for (name, (_, operation)) in &old_ops {
        if !new_ops.contains_key(name) {
            out.push(api_change(
                Some(name),
                "operation",
                "endpoint-removed",
                Breaking,
                operation.get("operationId").cloned(),
                None,
            ));
        }
    }
    for (name, (old_item, old_op)) in &old_ops {
        let Some((new_item, new_op)) = new_ops.get(name) else { continue };
        let server = |item: &Value, op: &Value, doc: &Value| {
            first_server(op).or_else(|| first_server(item)).or_else(|| first_server(doc)).cloned()
        };
        let (a, b) = (server(old_item, old_op, old), server(new_item, new_op, new));
        if a != b {
            out.push(api_change(Some(name), "server", "endpoint-server-changed", Breaking, a, b));
        }
        let security =
            |op: &Value, doc: &Value| op.get("security").or_else(|| doc.get("security")).cloned().unwrap_or(json!([]));
        let (a, b) = (security(old_op, old), security(new_op, new));
        if a != b {
            let empty = |v: &Value| {
                v.as_array()
                    .is_none_or(|l| l.is_empty() || l.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty())))
            };
            let (rule, impact) = match (empty(&a), empty(&b)) {
                (true, false) => ("api-security-added", Breaking),
                (false, true) => ("api-security-removed", NonBreaking),
                _ => ("api-security-changed", Breaking),
            };
            out.push(api_change(Some(name), "security", rule, impact, Some(a), Some(b)));
        }
        parameters(name, (old_item, old_op), (new_item, new_op), &roots, &mut out);
        request_body(name, old_op, new_op, &roots, &mut out);
        responses(name, old_op, new_op, &roots, &mut out);
    }
    out
}

fn parameter_map<'a>(item: &'a Value, operation: &'a Value, root: &'a Value) -> BTreeMap<(String, String), &'a Value> {
    let mut out = BTreeMap::new();
    for list in [item.get("parameters"), operation.get("parameters")].into_iter().flatten() {
        for parameter in list.as_array().into_iter().flatten().map(|p| pointer::resolve(p, root)) {
            let (Some(location), Some(name)) =
                (parameter.get("in").and_then(Value::as_str), parameter.get("name").and_then(Value::as_str))
            else {
                continue;
            };
            out.insert((location.to_string(), name.to_string()), parameter);
        }
    }
    out
}

fn parameters(name: &str, old: (&Value, &Value), new: (&Value, &Value), roots: &Roots<'_>, out: &mut Vec<ApiChange>) {
    use Impact::{Breaking, NonBreaking};
    let (old_params, new_params) = (parameter_map(old.0, old.1, roots.old), parameter_map(new.0, new.1, roots.new));
    let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
    for (key, parameter) in &new_params {
        let location = format!("{} parameter {}", key.0, key.1);
        match old_params.get(key) {
            None if required(parameter) => out.push(api_change(
                Some(name),
                &location,
                "new-required-request-parameter",
                Breaking,
                None,
                Some(json!(key.1)),
            )),
            None => out.push(api_change(
                Some(name),
                &location,
                "new-optional-request-parameter",
                NonBreaking,
                None,
                Some(json!(key.1)),
            )),
            Some(before) => {
                match (required(before), required(parameter)) {
                    (false, true) => out.push(api_change(
                        Some(name),
                        &location,
                        "request-parameter-became-required",
                        Breaking,
                        Some(json!(false)),
                        Some(json!(true)),
                    )),
                    (true, false) => out.push(api_change(
                        Some(name),
                        &location,
                        "request-parameter-became-optional",
                        NonBreaking,
                        Some(json!(true)),
                        Some(json!(false)),
                    )),
                    _ => {}
                }
                if let (Some(a), Some(b)) = (before.get("schema"), parameter.get("schema")) {
                    compare(a, b, roots, &At { operation: name, place: &location, flow: Flow::Request }, "", out);
                }
            }
        }
    }
    for key in old_params.keys().filter(|k| !new_params.contains_key(*k)) {
        out.push(api_change(
            Some(name),
            &format!("{} parameter {}", key.0, key.1),
            "request-parameter-removed",
            Breaking,
            Some(json!(key.1)),
            None,
        ));
    }
}

fn json_media(content: Option<&Value>) -> Option<(&String, &Value)> {
    let content = content?.as_object()?;
    content
        .iter()
        .find(|(k, _)| k.as_str() == "application/json")
        .or_else(|| content.iter().find(|(k, _)| k.contains("json")))
}

fn media_types(content: Option<&Value>) -> Vec<String> {
    content.and_then(Value::as_object).map(|c| c.keys().cloned().collect()).unwrap_or_default()
}

fn request_body(name: &str, old_op: &Value, new_op: &Value, roots: &Roots<'_>, out: &mut Vec<ApiChange>) {
    use Impact::{Breaking, NonBreaking};
    let (a, b) = (
        old_op.get("requestBody").map(|v| pointer::resolve(v, roots.old)),
        new_op.get("requestBody").map(|v| pointer::resolve(v, roots.new)),
    );
    let required = |v: &Value| v.get("required").and_then(Value::as_bool).unwrap_or(false);
    match (a, b) {
        (None, Some(body)) => {
            let (rule, impact) = if required(body) {
                ("new-required-request-body", Breaking)
            } else {
                ("new-optional-request-body", NonBreaking)
            };
            out.push(api_change(Some(name), "request body", rule, impact, None, None));
        }
        (Some(_), None) => {
            out.push(api_change(Some(name), "request body", "request-body-removed", Breaking, None, None))
        }
        (Some(a), Some(b)) => {
            match (required(a), required(b)) {
                (false, true) => out.push(api_change(
                    Some(name),
                    "request body",
                    "request-body-became-required",
                    Breaking,
                    Some(json!(false)),
                    Some(json!(true)),
                )),
                (true, false) => out.push(api_change(
                    Some(name),
                    "request body",
                    "request-body-became-optional",
                    NonBreaking,
                    Some(json!(true)),
                    Some(json!(false)),
                )),
                _ => {}
            }
            media_changes(name, "request body", a.get("content"), b.get("content"), Flow::Request, out);
            if let (Some((_, x)), Some((_, y))) = (json_media(a.get("content")), json_media(b.get("content"))) {
                if let (Some(x), Some(y)) = (x.get("schema"), y.get("schema")) {
                    compare(x, y, roots, &At { operation: name, place: "request body", flow: Flow::Request }, "", out);
                }
            }
        }
        (None, None) => {}
    }
}

fn media_changes(
    name: &str,
    place: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    flow: Flow,
    out: &mut Vec<ApiChange>,
) {
    let (a, b) = (media_types(old), media_types(new));
    for added in b.iter().filter(|m| !a.contains(m)) {
        let rule = if flow == Flow::Request { "request-body-media-type-added" } else { "response-media-type-added" };
        out.push(api_change(Some(name), place, rule, Impact::NonBreaking, None, Some(json!(added))));
    }
    for removed in a.iter().filter(|m| !b.contains(m)) {
        let rule =
            if flow == Flow::Request { "request-body-media-type-removed" } else { "response-media-type-removed" };
        out.push(api_change(Some(name), place, rule, Impact::Breaking, Some(json!(removed)), None));
    }
}

fn responses(name: &str, old_op: &Value, new_op: &Value, roots: &Roots<'_>, out: &mut Vec<ApiChange>) {
    use Impact::{Breaking, NonBreaking};
    let map = |op: &Value| op.get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
    let (old_responses, new_responses) = (map(old_op), map(new_op));
    let success = |status: &str| status.starts_with('2');
    for status in new_responses.keys().filter(|s| !old_responses.contains_key(*s)) {
        let rule = if success(status) { "response-success-status-added" } else { "response-non-success-status-added" };
        out.push(api_change(Some(name), &format!("response {status}"), rule, NonBreaking, None, Some(json!(status))));
    }
    for status in old_responses.keys().filter(|s| !new_responses.contains_key(*s)) {
        let (rule, impact) = if success(status) {
            ("response-success-status-removed", Breaking)
        } else {
            ("response-non-success-status-removed", NonBreaking)
        };
        out.push(api_change(Some(name), &format!("response {status}"), rule, impact, Some(json!(status)), None));
    }
    for (status, old_response) in &old_responses {
        let Some(new_response) = new_responses.get(status) else { continue };
        let (a, b) = (pointer::resolve(old_response, roots.old), pointer::resolve(new_response, roots.new));
        let place = format!("response {status}");
        media_changes(name, &place, a.get("content"), b.get("content"), Flow::Response, out);
        if let (Some((_, x)), Some((_, y))) = (json_media(a.get("content")), json_media(b.get("content"))) {
            if let (Some(x), Some(y)) = (x.get("schema"), y.get("schema")) {
                compare(x, y, roots, &At { operation: name, place: &place, flow: Flow::Response }, "", out);
            }
        }
    }
}
