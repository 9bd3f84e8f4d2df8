//! `$ref`s that do not name a component, rewritten so that they do (or inlined).
//!
//! OpenAPI allows a `$ref` to any JSON pointer: `#/components/schemas/Order/properties/id`,
//! `#/paths/~1orders/get/responses/200`, a `definitions` block nested inside a component. typify
//! resolves schema references only by component name and panics on the rest ("$ref … is
//! missing"), and progenitor looks parameters, responses and bodies up the same way. So:
//!
//! - a schema reference to anything but `#/components/schemas/<name>` has its target moved
//!   into a new named component (one per target, so shared targets stay shared), and the
//!   target's place refers to it too;
//! - any other reference (parameter, response, request body, header) to anything but its own
//!   component section is replaced by a copy of what it points at.

use std::collections::BTreeMap;

use heck::ToPascalCase;
use serde_json::{Map, Value};

use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// Rounds of rewriting: a copied target can hold deep references of its own.
const MAX_ROUNDS: usize = 8;

/// Rewrites every reference that does not name a component of its kind.
pub fn name_deep_references(document: &mut Value, changes: &mut Vec<Change>) {
    let mut hoisted: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..MAX_ROUNDS {
        // A round reads targets in a snapshot of the document; most documents need no round.
        let mut detector = NeedsRetargeting(false);
        walk(&mut detector, Kind::Document, document, "");
        if !detector.0 {
            return;
        }
        let root = document.clone();
        let mut pass =
            DeepReferences { root: &root, hoisted: &mut hoisted, new_schemas: Vec::new(), changes: Vec::new() };
        walk(&mut pass, Kind::Document, document, "");
        let DeepReferences { new_schemas, changes: mut made, .. } = pass;
        if made.is_empty() {
            return;
        }
        // The copies still hold the references of their originals; the next round rewrites
        // them, and must still be able to follow them then.
        let mut references: Vec<String> = pointer::references(document).into_iter().map(str::to_string).collect();
        for (_, _, schema) in &new_schemas {
            references.extend(pointer::references(schema).into_iter().map(str::to_string));
        }
        for (name, fragment, schema) in new_schemas {
            // The target's own place refers to the new component too, so the schema is defined
            // once (and typify does not name the inline original like the component), unless
            // another reference reaches through that place to something inside it.
            let inside = format!("#{fragment}/");
            let reached_through = references.iter().any(|r| r.starts_with(&inside));
            if let Some(slot) = document.pointer_mut(&fragment).filter(|_| !reached_through) {
                *slot = serde_json::json!({ "$ref": pointer::component_ref_to("schemas", &name) });
            }
            super::schemas_mut(document).insert(name, schema);
        }
        changes.append(&mut made);
    }
}

/// Whether any `$ref` does not name a component of the kind expected where it stands.
struct NeedsRetargeting(bool);

impl Visitor for NeedsRetargeting {
    fn visit(&mut self, _kind: Kind, _object: &mut Map<String, Value>, _at: &str) {}

    fn visit_ref(&mut self, kind: Kind, object: &mut Map<String, Value>, _at: &str) {
        let Some(expected) = section(kind) else { return };
        let Some(reference) = object.get("$ref").and_then(Value::as_str) else { return };
        if !matches!(pointer::component_ref(reference), Some((s, _)) if s == expected) {
            self.0 = true;
        }
    }
}

struct DeepReferences<'a> {
    root: &'a Value,
    /// Target fragment → the component name it was copied to.
    hoisted: &'a mut BTreeMap<String, String>,
    /// (component name, the fragment it was copied from, the copy).
    new_schemas: Vec<(String, String, Value)>,
    changes: Vec<Change>,
}

fn section(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Schema => "schemas",
        Kind::Parameter => "parameters",
        Kind::Response => "responses",
        Kind::RequestBody => "requestBodies",
        Kind::Header => "headers",
        Kind::Example => "examples",
        _ => return None,
    })
}

impl Visitor for DeepReferences<'_> {
    fn visit(&mut self, _kind: Kind, _object: &mut Map<String, Value>, _at: &str) {}

    fn visit_ref(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        let Some(expected) = section(kind) else { return };
        let Some(reference) = object.get("$ref").and_then(Value::as_str).map(str::to_string) else { return };
        if matches!(pointer::component_ref(&reference), Some((s, _)) if s == expected) {
            return;
        }
        let Some(fragment) = reference.strip_prefix('#') else { return };
        let Some(target) = self.root.pointer(fragment) else { return };
        let here = pointer::child(at, "$ref");
        if kind == Kind::Schema {
            let name = match self.hoisted.get(fragment) {
                Some(name) => name.clone(),
                None => {
                    let name = self.fresh_name(fragment);
                    self.hoisted.insert(fragment.to_string(), name.clone());
                    self.new_schemas.push((name.clone(), fragment.to_string(), target.clone()));
                    name
                }
            };
            let after = pointer::component_ref_to("schemas", &name);
            self.changes.push(
                Change::new(Stage::Lower, Rule::ReferenceRetargeted, here)
                    .values(Some(Value::String(reference)), Some(Value::String(after.clone())))
                    .note("the schema it points into is copied to a component of its own"),
            );
            object.insert("$ref".into(), Value::String(after));
        } else if let Value::Object(target) = target {
            self.changes.push(
                Change::new(Stage::Lower, Rule::ReferenceRetargeted, here)
                    .values(Some(Value::String(reference)), None)
                    .note("replaced by a copy of what it points at"),
            );
            *object = target.clone();
        }
    }
}

impl DeepReferences<'_> {
    /// A readable component name from the pointer's meaningful tokens (names, not keywords).
    fn fresh_name(&self, fragment: &str) -> String {
        const STRUCTURAL: [&str; 14] = [
            "paths",
            "components",
            "schemas",
            "properties",
            "items",
            "content",
            "schema",
            "definitions",
            "responses",
            "parameters",
            "requestBody",
            "allOf",
            "oneOf",
            "anyOf",
        ];
        let tokens: Vec<String> = fragment
            .split('/')
            .skip(1)
            .map(pointer::unescape)
            .filter(|t| !STRUCTURAL.contains(&t.as_str()) && !t.contains('/') && t.parse::<u32>().is_err())
            .collect();
        let start = tokens.len().saturating_sub(3);
        let mut base = tokens[start..].join("_").to_pascal_case();
        if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base = format!("Schema{base}");
        }
        let pending = |n: &str| self.new_schemas.iter().any(|(taken, _, _)| taken == n);
        let in_document =
            |n: &str| self.root.pointer(&crate::model::pointer::child("/components/schemas", n)).is_some();
        crate::model::naming::first_free(&base, "", |n| in_document(n) || pending(n))
    }
}
