//! Checks a normalized page against the OpenAPI 3.0 object model, pointing at the exact value.
//!
//! The model uses untagged enums (`ReferenceOr<T>`), behind which serde can only say "did not
//! match any variant" at the top. So when the whole document fails, each object is tried on its
//! own, kind by kind, down to the deepest one that fails: the error then names
//! `/paths/~1x/get/parameters/0` and what is wrong with it, not just `/paths`.

use openapiv3::{
    Example, Header, OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Result};
use crate::normalize::walk::is_operation_key;
use crate::pointer;

/// Tries one component section's values as their OpenAPI type.
type SectionCheck = fn(&Value, &str) -> Option<Failure>;

/// What failed and where.
struct Failure {
    pointer: String,
    message: String,
}

fn try_as<T: DeserializeOwned>(value: &Value, at: &str) -> Option<Failure> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => None,
        Err(e) => {
            let inner: String = e
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                    serde_path_to_error::Segment::Map { key } => Some(format!("/{}", pointer::escape(key))),
                    _ => None,
                })
                .collect();
            Some(Failure { pointer: format!("{at}{inner}"), message: e.into_inner().to_string() })
        }
    }
}

/// Checks that `document` is a valid OpenAPI 3.0 document.
///
/// # Errors
/// The deepest failing object, with its pointer and serde's reason.
pub fn check(document: &Value) -> Result<()> {
    let Some(whole) = try_as::<OpenAPI>(document, "") else { return Ok(()) };
    let failure = deepest(document).unwrap_or(whole);
    Err(Diagnostic::error(format!("not a valid OpenAPI 3.0 document: {}", failure.message))
        .at(failure.pointer)
        .help("no normalization rule fixed this value; correct it with an overlay action beside the page")
        .into())
}

fn deepest(document: &Value) -> Option<Failure> {
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        if path.starts_with("x-") {
            continue;
        }
        let at = pointer::child("/paths", path);
        let Some(failure) = try_as::<ReferenceOr<PathItem>>(item, &at) else { continue };
        for (key, child) in item.as_object().into_iter().flatten() {
            let here = pointer::child(&at, key);
            let found = if is_operation_key(key) {
                operation(child, &here)
            } else if key == "parameters" {
                each::<ReferenceOr<Parameter>>(child, &here)
            } else {
                None
            };
            if found.is_some() {
                return found;
            }
        }
        return Some(failure);
    }
    let sections: [(&str, SectionCheck); 7] = [
        ("schemas", try_as::<ReferenceOr<Schema>>),
        ("responses", try_as::<ReferenceOr<Response>>),
        ("parameters", try_as::<ReferenceOr<Parameter>>),
        ("requestBodies", try_as::<ReferenceOr<RequestBody>>),
        ("headers", try_as::<ReferenceOr<Header>>),
        ("securitySchemes", try_as::<ReferenceOr<SecurityScheme>>),
        ("examples", try_as::<ReferenceOr<Example>>),
    ];
    for (section, check) in sections {
        let at = pointer::child("/components", section);
        for (name, value) in document.pointer(&at).and_then(Value::as_object).into_iter().flatten() {
            if let Some(failure) = check(value, &pointer::child(&at, name)) {
                return Some(failure);
            }
        }
    }
    None
}

fn each<T: DeserializeOwned>(list: &Value, at: &str) -> Option<Failure> {
    list.as_array()?.iter().enumerate().find_map(|(index, item)| try_as::<T>(item, &format!("{at}/{index}")))
}

fn operation(value: &Value, at: &str) -> Option<Failure> {
    let failure = try_as::<Operation>(value, at)?;
    let parts = [
        value.get("parameters").and_then(|p| each::<ReferenceOr<Parameter>>(p, &pointer::child(at, "parameters"))),
        value.get("requestBody").and_then(|b| try_as::<ReferenceOr<RequestBody>>(b, &pointer::child(at, "requestBody"))),
        value.get("responses").and_then(Value::as_object).and_then(|responses| {
            responses.iter().filter(|(s, _)| !s.starts_with("x-")).find_map(|(status, response)| {
                try_as::<ReferenceOr<Response>>(response, &pointer::child(&pointer::child(at, "responses"), status))
            })
        }),
    ];
    parts.into_iter().flatten().next().or(Some(failure))
}
