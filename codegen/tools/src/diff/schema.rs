//! Comparing two schemas, in the direction the data flows.
//!
//! The same change means opposite things in a request and a response: a tighter limit breaks
//! what the client sends and is harmless in what it decodes (decoding never checks limits); a
//! new enum value is harmless both ways, since generated enums keep a value they do not know
//! (`Unknown(String)`) and ignore fields they do not know; a field turning optional
//! breaks response decoding (the Rust type becomes an `Option`) but not requests. Where the
//! generated Rust type itself loses something (a field, an enum variant), the change is breaking
//! in both directions, since code using it stops compiling.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::{ApiChange, Impact};
use codegen::model::pointer;

/// Which way the data flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// The client sends it (parameters, request bodies).
    Request,
    /// The client decodes it (response bodies).
    Response,
}

/// The two documents, to resolve `$ref`s in each.
pub struct Roots<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
}

/// Where a comparison is, for the report.
pub struct At<'a> {
    pub operation: &'a str,
    pub place: &'a str,
    pub flow: Flow,
}

fn change(
    at: &At<'_>,
    field: &str,
    rule: &'static str,
    impact: Impact,
    before: Option<Value>,
    after: Option<Value>,
) -> ApiChange {
    let location = if field.is_empty() { at.place.to_string() } else { format!("{}: {field}", at.place) };
    ApiChange { api: String::new(), operation: Some(at.operation.to_string()), location, rule, impact, before, after }
}

fn join(field: &str, name: &str) -> String {
    if field.is_empty() {
        name.to_string()
    } else {
        format!("{field}.{name}")
    }
}

/// Compares `old` and `new` (either may be a `$ref`), appending every change found.
pub fn compare(old: &Value, new: &Value, roots: &Roots<'_>, at: &At<'_>, field: &str, out: &mut Vec<ApiChange>) {
    let mut seen = BTreeSet::new();
    walk(old, new, roots, at, field, out, &mut seen, 0);
}

#[allow(clippy::too_many_arguments)]
fn walk(
    old: &Value,
    new: &Value,
    roots: &Roots<'_>,
    at: &At<'_>,
    field: &str,
    out: &mut Vec<ApiChange>,
    seen: &mut BTreeSet<(String, String, String)>,
    depth: usize,
) {
    let refs = (old.get("$ref").and_then(Value::as_str), new.get("$ref").and_then(Value::as_str));
    if let (Some(a), Some(b)) = refs {
        // A recursive schema is compared once per place.
        if !seen.insert((a.to_string(), b.to_string(), field.to_string())) {
            return;
        }
    }
    if depth > 24 {
        return;
    }
    let (old, new) = (pointer::resolve(old, roots.old), pointer::resolve(new, roots.new));
    let request = at.flow == Flow::Request;
    let by_flow = |in_request: Impact, in_response: Impact| if request { in_request } else { in_response };
    use Impact::{Breaking, NonBreaking};

    for (keyword, rule_request, rule_response) in [
        ("type", "request-property-type-changed", "response-property-type-changed"),
        ("format", "request-property-format-changed", "response-property-format-changed"),
    ] {
        let (a, b) = (old.get(keyword), new.get(keyword));
        if a != b {
            let rule = if request { rule_request } else { rule_response };
            out.push(change(at, field, rule, Breaking, a.cloned(), b.cloned()));
        }
    }

    let nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    match (nullable(old), nullable(new)) {
        (true, false) => out.push(change(
            at,
            field,
            if request { "request-property-became-not-nullable" } else { "response-property-became-not-nullable" },
            by_flow(Breaking, NonBreaking),
            Some(json!(true)),
            Some(json!(false)),
        )),
        (false, true) => out.push(change(
            at,
            field,
            if request { "request-property-became-nullable" } else { "response-property-became-nullable" },
            by_flow(NonBreaking, Breaking),
            Some(json!(false)),
            Some(json!(true)),
        )),
        _ => {}
    }

    let values = |s: &Value| s.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
    let (old_enum, new_enum) = (values(old), values(new));
    if !old_enum.is_empty() || !new_enum.is_empty() {
        for added in new_enum.iter().filter(|v| !old_enum.contains(v) && !old_enum.is_empty()) {
            // Non-breaking both ways: a deployed client decodes the new value as the enum's
            // `Unknown(String)` variant; a regenerated one gains a variant, and matches on the
            // enum already need an arm for `Unknown`.
            let rule = if request { "request-property-enum-value-added" } else { "response-property-enum-value-added" };
            out.push(change(at, field, rule, NonBreaking, None, Some(added.clone())));
        }
        // A removed value breaks both ways for a generated client: the Rust enum loses the
        // variant, so code that sends it or matches on it no longer compiles.
        for removed in old_enum.iter().filter(|v| !new_enum.contains(v)) {
            let rule =
                if request { "request-property-enum-value-removed" } else { "response-property-enum-value-removed" };
            out.push(change(at, field, rule, Breaking, Some(removed.clone()), None));
        }
    }

    for (keyword, upper, [request_tighter, request_looser, response_tighter, response_looser]) in BOUNDS {
        let (a, b) = (old.get(keyword).and_then(Value::as_f64), new.get(keyword).and_then(Value::as_f64));
        if a == b {
            continue;
        }
        // Tighter: a new bound, or a smaller upper / larger lower one.
        let tighter = match (a, b) {
            (Some(a), Some(b)) => {
                if upper {
                    b < a
                } else {
                    b > a
                }
            }
            (None, Some(_)) => true,
            _ => false,
        };
        let rule = match (request, tighter) {
            (true, true) => request_tighter,
            (true, false) => request_looser,
            (false, true) => response_tighter,
            (false, false) => response_looser,
        };
        let impact = if request && tighter { Breaking } else { NonBreaking };
        out.push(change(at, field, rule, impact, old.get(keyword).cloned(), new.get(keyword).cloned()));
    }
    if old.get("pattern") != new.get("pattern") {
        let (rule, impact) = match (request, new.get("pattern").is_some()) {
            (true, true) => ("request-property-pattern-changed", Breaking),
            (true, false) => ("request-property-pattern-removed", NonBreaking),
            (false, _) => ("response-property-pattern-changed", NonBreaking),
        };
        out.push(change(at, field, rule, impact, old.get("pattern").cloned(), new.get("pattern").cloned()));
    }

    let required = |s: &Value| -> BTreeSet<String> {
        s.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let (old_required, new_required) = (required(old), required(new));
    let properties = |s: &Value| s.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let (old_properties, new_properties) = (properties(old), properties(new));
    for (name, new_schema) in &new_properties {
        let here = join(field, name);
        match old_properties.get(name) {
            None => {
                let (rule, impact) = match (request, new_required.contains(name)) {
                    (true, true) => ("new-required-request-property", Breaking),
                    (true, false) => ("new-optional-request-property", NonBreaking),
                    (false, _) => ("response-property-added", NonBreaking),
                };
                out.push(change(at, &here, rule, impact, None, Some(json!(name))));
            }
            Some(old_schema) => {
                match (old_required.contains(name), new_required.contains(name)) {
                    (false, true) => out.push(change(
                        at,
                        &here,
                        if request { "request-property-became-required" } else { "response-property-became-required" },
                        by_flow(Breaking, NonBreaking),
                        Some(json!(false)),
                        Some(json!(true)),
                    )),
                    (true, false) => out.push(change(
                        at,
                        &here,
                        if request { "request-property-became-optional" } else { "response-property-became-optional" },
                        by_flow(NonBreaking, Breaking),
                        Some(json!(true)),
                        Some(json!(false)),
                    )),
                    _ => {}
                }
                walk(old_schema, new_schema, roots, at, &here, out, seen, depth + 1);
            }
        }
    }
    for name in old_properties.keys().filter(|n| !new_properties.contains_key(*n)) {
        let rule = if request { "request-property-removed" } else { "response-property-removed" };
        out.push(change(at, &join(field, name), rule, Breaking, Some(json!(name)), None));
    }
    if let (Some(a), Some(b)) = (old.get("items"), new.get("items")) {
        walk(a, b, roots, at, &format!("{field}[]"), out, seen, depth + 1);
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        let (a, b) = (old.get(keyword).and_then(Value::as_array), new.get(keyword).and_then(Value::as_array));
        match (a, b) {
            (Some(a), Some(b)) if a.len() == b.len() => {
                for (x, y) in a.iter().zip(b) {
                    walk(x, y, roots, at, field, out, seen, depth + 1);
                }
            }
            (None, None) => {}
            _ => {
                let rule = if request {
                    "request-property-composition-changed"
                } else {
                    "response-property-composition-changed"
                };
                out.push(change(at, field, rule, Breaking, a.map(|v| json!(v.len())), b.map(|v| json!(v.len()))));
            }
        }
    }
}

/// Each bound keyword, whether it is an upper bound, and its rules: request tighter, request
/// looser, response tighter, response looser. Tighter is breaking only for what the client sends.
const BOUNDS: [(&str, bool, [&str; 4]); 6] = [
    (
        "maxLength",
        true,
        [
            "request-property-max-length-decreased",
            "request-property-max-length-increased",
            "response-property-max-length-decreased",
            "response-property-max-length-increased",
        ],
    ),
    (
        "maximum",
        true,
        [
            "request-property-max-decreased",
            "request-property-max-increased",
            "response-property-max-decreased",
            "response-property-max-increased",
        ],
    ),
    (
        "maxItems",
        true,
        [
            "request-property-max-items-decreased",
            "request-property-max-items-increased",
            "response-property-max-items-decreased",
            "response-property-max-items-increased",
        ],
    ),
    (
        "minLength",
        false,
        [
            "request-property-min-length-increased",
            "request-property-min-length-decreased",
            "response-property-min-length-increased",
            "response-property-min-length-decreased",
        ],
    ),
    (
        "minimum",
        false,
        [
            "request-property-min-increased",
            "request-property-min-decreased",
            "response-property-min-increased",
            "response-property-min-decreased",
        ],
    ),
    (
        "minItems",
        false,
        [
            "request-property-min-items-increased",
            "request-property-min-items-decreased",
            "response-property-min-items-increased",
            "response-property-min-items-decreased",
        ],
    ),
];
