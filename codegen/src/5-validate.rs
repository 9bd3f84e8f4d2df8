//! Stage 5, validate: checks a normalized page against the OpenAPI 3.0 object model, pointing at the exact value.
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

use crate::diagnostics::{Diagnostic, Kind, Result};
use crate::model::pointer;
use crate::model::walk::is_operation_key;

/// Tries one component section's values as their OpenAPI type.
type SectionCheck = fn(&Value, &str) -> Option<Failure>;

/// What failed and where.
struct Failure {
    pointer: String,
    message: String,
}

fn try_as<T: DeserializeOwned>(value: &Value, at: &str) -> Option<Failure> {
    let (inner, message) = pointer::deserialize_at::<T>(value).err()?;
    Some(Failure { pointer: format!("{at}{inner}"), message })
}

/// Checks that `document` is a valid OpenAPI 3.0 document.
///
/// # Errors
/// The deepest failing object, with its pointer and serde's reason.
pub fn check(document: &Value) -> Result<()> {
    let Some(whole) = try_as::<OpenAPI>(document, "") else { return Ok(()) };
    let failure = deepest(document).unwrap_or(whole);
    Err(Diagnostic::new(Kind::InvalidDocument, format!("not a valid OpenAPI 3.0 document: {}", failure.message))
        .at(failure.pointer)
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
        value
            .get("requestBody")
            .and_then(|b| try_as::<ReferenceOr<RequestBody>>(b, &pointer::child(at, "requestBody"))),
        value.get("responses").and_then(Value::as_object).and_then(|responses| {
            responses.iter().filter(|(s, _)| !s.starts_with("x-")).find_map(|(status, response)| {
                try_as::<ReferenceOr<Response>>(response, &pointer::child(&pointer::child(at, "responses"), status))
            })
        }),
    ];
    parts.into_iter().flatten().next().or(Some(failure))
}

/// What a lenient check changed to make the document valid.
#[derive(Debug, Default)]
pub struct Degraded {
    /// Each part replaced or left out.
    pub changes: Vec<crate::report::Change>,
    /// One warning per part, with its pointer and serde's reason.
    pub warnings: crate::Diagnostics,
}

/// How many invalid parts a lenient check degrades before giving up (each costs a check of
/// the whole document).
const MAX_DEGRADED: usize = 64;

/// Checks `document` like [`check`], but a part no rule could repair costs only itself: a
/// schema becomes any JSON value, an operation (or a path item) is left out, a component
/// other than a schema is removed (what referenced it then dangles, and is degraded the same
/// way by the caller's normalizer). Each is a warning and a recorded change.
///
/// # Errors
/// When the document stays invalid: the invalid part is outside schemas, operations and
/// components, or more than `MAX_DEGRADED` parts are invalid.
pub fn check_leniently(document: &mut Value) -> Result<Degraded> {
    use crate::report::{Change, Rule, Stage};
    let mut degraded = Degraded::default();
    for _ in 0..MAX_DEGRADED {
        let Err(problems) = check(document) else { return Ok(degraded) };
        let Some(at) = problems.iter().next().and_then(|d| d.pointer.clone()) else { return Err(problems) };
        let reason = problems.iter().next().map(|d| d.message.clone()).unwrap_or_default();
        let Some((target, what)) = degradable_part(document, &at) else { return Err(problems) };
        let before = document.pointer(&target).cloned();
        let (rule, after) = match what {
            Part::Schema => (Rule::SchemaDegraded, Some(serde_json::json!({}))),
            Part::Operation | Part::Component => (Rule::OperationLeftOut, None),
        };
        remove_or_replace(document, &target, after.clone());
        let note = format!(
            "{what} is invalid ({reason}); {}",
            if after.is_some() { "read as any JSON value" } else { "left out" }
        );
        degraded
            .changes
            .push(Change::new(Stage::Validate, rule, target.clone()).values(before, after).note(note.clone()));
        degraded.warnings.push(Diagnostic::new(Kind::InvalidPartDegraded, note).at(target));
    }
    check(document).map(|()| degraded)
}

/// The kind of part a lenient check degrades.
#[derive(Clone, Copy, Debug)]
enum Part {
    Schema,
    Operation,
    Component,
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Part::Schema => "the schema",
            Part::Operation => "the operation",
            Part::Component => "the component",
        })
    }
}

/// The innermost part holding the invalid value at `at` that can be degraded: a schema, else
/// the operation or path item, else a component.
fn degradable_part(document: &mut Value, at: &str) -> Option<(String, Part)> {
    struct Schemas(Vec<String>);
    impl crate::model::walk::Visitor for Schemas {
        fn visit(&mut self, kind: crate::model::walk::Kind, _: &mut serde_json::Map<String, Value>, at: &str) {
            if kind == crate::model::walk::Kind::Schema {
                self.0.push(at.to_string());
            }
        }
    }
    let within = |base: &str| at == base || at.starts_with(&format!("{base}/"));
    let mut schemas = Schemas(Vec::new());
    crate::model::walk::walk(&mut schemas, crate::model::walk::Kind::Document, document, "");
    if let Some(schema) = schemas.0.into_iter().filter(|s| within(s)).max_by_key(String::len) {
        return Some((schema, Part::Schema));
    }
    let tokens: Vec<&str> = at.split('/').skip(1).collect();
    match tokens.as_slice() {
        ["paths", path, method, ..] if is_operation_key(method) => {
            Some((format!("/paths/{path}/{method}"), Part::Operation))
        }
        ["paths", path, ..] => Some((format!("/paths/{path}"), Part::Operation)),
        ["components", section, name, ..] if *section != "securitySchemes" => {
            Some((format!("/components/{section}/{name}"), Part::Component))
        }
        _ => None,
    }
}

/// Replaces the value at `at` with `after`, or removes it when `after` is `None`.
fn remove_or_replace(document: &mut Value, at: &str, after: Option<Value>) {
    let Some((parent, last)) = at.rsplit_once('/') else { return };
    let key = pointer::unescape(last);
    match (document.pointer_mut(parent), after) {
        (Some(Value::Object(map)), Some(value)) => {
            map.insert(key, value);
        }
        (Some(Value::Object(map)), None) => {
            map.remove(&key);
        }
        (Some(Value::Array(items)), Some(value)) => {
            if let Some(slot) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = value;
            }
        }
        _ => {}
    }
}
