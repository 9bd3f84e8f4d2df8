//! A `$ref` that points at nothing costs only what reaches it (in a lenient run).
//!
//! Vendors publish specs whose references dangle (a definition renamed, a file not published).
//! Refusing the whole API for one of them gives the user nothing; so, unless the run is strict,
//! a dangling reference where a schema stands becomes "any JSON value" (`{}`), and one where a
//! response, request body or header stands becomes that object with an untyped body. An
//! operation still holding a dangling reference anywhere else (a parameter, say) is left out.
//! Each of these is a warning with its pointer and a change in the quirk report.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// Whether `reference` resolves in `root` (external references never do here).
fn resolves(reference: &str, root: &Value) -> bool {
    reference.strip_prefix('#').is_some_and(|target| root.pointer(target).is_some())
}

/// Degrades every dangling reference of `document`, as the module docs say.
pub fn degrade(document: &mut Value, changes: &mut Vec<Change>, problems: &mut Diagnostics) {
    let dangling: HashSet<String> = pointer::references_outside_extensions(document)
        .into_iter()
        .filter(|r| !resolves(r, document))
        .map(str::to_string)
        .collect();
    if dangling.is_empty() {
        return;
    }
    let mut pass = Degrade { dangling: &dangling, changes, problems };
    walk(&mut pass, Kind::Document, document, "");
    leave_out_operations(document, changes, problems);
}

struct Degrade<'a> {
    dangling: &'a HashSet<String>,
    changes: &'a mut Vec<Change>,
    problems: &'a mut Diagnostics,
}

impl Visitor for Degrade<'_> {
    fn visit(&mut self, _kind: Kind, _object: &mut Map<String, Value>, _at: &str) {}

    fn visit_ref(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        let Some(reference) = object.get("$ref").and_then(Value::as_str).map(str::to_string) else { return };
        if !self.dangling.contains(&reference) {
            return;
        }
        let description = object.get("description").cloned();
        let replacement = match kind {
            Kind::Schema => json!({}),
            Kind::Response => {
                json!({ "description": description.clone().unwrap_or(json!("")), "content": { "application/json": { "schema": {} } } })
            }
            Kind::RequestBody => json!({ "content": { "application/json": { "schema": {} } } }),
            Kind::Header => json!({ "schema": {} }),
            Kind::Example => json!({}),
            _ => return,
        };
        let Value::Object(mut replacement) = replacement else { return };
        if let (Kind::Schema, Some(description)) = (kind, description) {
            replacement.insert("description".into(), description);
        }
        *object = replacement;
        self.changes.push(
            Change::new(Stage::Normalize, Rule::DanglingRefDegraded, pointer::child(at, "$ref"))
                .values(Some(Value::String(reference.clone())), Some(Value::Object(object.clone())))
                .note("the reference points at nothing: read as any JSON value"),
        );
        self.problems.push(
            Diagnostic::new(
                diagnostics::Kind::DanglingReferenceAsAny,
                format!("`$ref` {reference:?} points at nothing; what it stands for is read as any JSON value"),
            )
            .at(pointer::child(at, "$ref")),
        );
    }
}

/// Operations (and whole path items, for a path-level parameter) that still hold a dangling
/// reference are left out.
fn leave_out_operations(document: &mut Value, changes: &mut Vec<Change>, problems: &mut Diagnostics) {
    let mut doomed: Vec<(String, String, String)> = Vec::new();
    if let Some(Value::Object(paths)) = document.get("paths") {
        for (path, item) in paths {
            let Some(item) = item.as_object() else { continue };
            for (key, value) in item {
                let dangling =
                    pointer::references_outside_extensions(value).into_iter().find(|r| !resolves(r, document));
                if let Some(reference) = dangling {
                    doomed.push((path.clone(), key.clone(), reference.to_string()));
                }
            }
        }
    }
    let Some(Value::Object(paths)) = document.get_mut("paths") else { return };
    for (path, key, reference) in doomed {
        let at = pointer::child(&pointer::child("/paths", &path), &key);
        let whole_item = !crate::model::walk::is_operation_key(&key);
        if whole_item {
            paths.remove(&path);
        } else if let Some(Value::Object(item)) = paths.get_mut(&path) {
            item.remove(&key);
        }
        let what = if whole_item { "path" } else { "operation" };
        changes.push(
            Change::new(Stage::Normalize, Rule::OperationLeftOut, at.clone())
                .values(Some(Value::String(reference.clone())), None)
                .note(format!("the {what} holds a reference that points at nothing")),
        );
        problems.push(
            Diagnostic::new(
                diagnostics::Kind::OperationLeftOut,
                format!("{what} left out of the client: `$ref` {reference:?} points at nothing"),
            )
            .at(at)
            .help("define what it names, or correct the reference with an overlay (--strict makes this an error)"),
        );
    }
}
