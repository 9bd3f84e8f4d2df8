//! Cut-down copies of a document for the generator's bisection.
//!
//! When progenitor fails on an API, [`crate::generate`] finds the operations at fault by running
//! it on halves, quarters, ... of the operations. progenitor turns every component schema into a
//! type before it looks at any operation, so a run on three operations of Microsoft Graph beta
//! still built its 20,000 types, and bisection never finished. A subset here carries only the
//! components its operations reach, so a run costs what its operations need.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::model::pointer;
use crate::model::walk::is_operation_key;

/// A component as (section, name): `("schemas", "Pet")`.
type Component = (String, String);

/// One document, ready to be cut down to any set of its operations.
pub struct Subsets<'a> {
    document: &'a Value,
    /// The components each component references directly, found once.
    edges: HashMap<Component, Vec<Component>>,
}

impl<'a> Subsets<'a> {
    /// Indexes which components reference which.
    pub fn new(document: &'a Value) -> Self {
        let mut edges = HashMap::new();
        for (section, items) in document.get("components").and_then(Value::as_object).into_iter().flatten() {
            for (name, item) in items.as_object().into_iter().flatten() {
                edges.insert((section.clone(), name.clone()), pointer::component_refs(item));
            }
        }
        Self { document, edges }
    }

    /// The document with only `operations` (as path and method) and the components they reach,
    /// directly or through other components. Every other member is kept as it is, in its place,
    /// and so are all security schemes (operations name them without a `$ref`).
    pub fn document(&self, operations: &[(String, String)]) -> Value {
        let mut paths = Map::new();
        let mut pending: Vec<Component> = Vec::new();
        let all_paths = self.document.get("paths");
        for (path, method) in operations {
            let Some(item) = all_paths.and_then(|p| p.get(path)).and_then(Value::as_object) else { continue };
            let Some(operation) = item.get(method) else { continue };
            let entry = paths.entry(path.clone()).or_insert_with(|| {
                // The path item's own members (shared parameters, servers, summary) come once.
                let shared: Map<String, Value> = item
                    .iter()
                    .filter(|(key, _)| !is_operation_key(key))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Value::Object(shared)
            });
            if let Value::Object(entry) = entry {
                entry.insert(method.clone(), operation.clone());
            }
            pending.extend(pointer::component_refs(operation));
        }
        for item in paths.values() {
            let shared: Vec<&Value> = item
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(key, _)| !is_operation_key(key))
                .map(|(_, v)| v)
                .collect();
            pending.extend(shared.into_iter().flat_map(pointer::component_refs));
        }
        let reached = self.reach(pending);
        let mut root = Map::new();
        for (key, value) in self.document.as_object().into_iter().flatten() {
            let value = match key.as_str() {
                "paths" => Value::Object(std::mem::take(&mut paths)),
                "components" => Self::components_within(value, &reached),
                _ => value.clone(),
            };
            root.insert(key.clone(), value);
        }
        Value::Object(root)
    }

    /// Every component reachable from `pending`.
    fn reach(&self, mut pending: Vec<Component>) -> HashSet<Component> {
        let mut reached = HashSet::new();
        while let Some(component) = pending.pop() {
            if let Some(next) = self.edges.get(&component) {
                if reached.insert(component) {
                    pending.extend(next.iter().cloned());
                }
            }
        }
        reached
    }

    /// `components` with only the reached items of each section (security schemes whole).
    fn components_within(components: &Value, reached: &HashSet<Component>) -> Value {
        let Some(sections) = components.as_object() else { return components.clone() };
        let kept = sections.iter().map(|(section, items)| {
            let items = match items.as_object() {
                Some(items) if section != "securitySchemes" => Value::Object(
                    items
                        .iter()
                        .filter(|(name, _)| reached.contains(&(section.clone(), (*name).clone())))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                _ => items.clone(),
            };
            (section.clone(), items)
        });
        Value::Object(kept.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/pets": {
                    "parameters": [{"$ref": "#/components/parameters/Trace"}],
                    "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pets"}}}}}},
                    "post": {"responses": {"201": {"$ref": "#/components/responses/Created"}}}
                },
                "/owners": {
                    "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}}}}}
                }
            },
            "components": {
                "schemas": {
                    "Pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                    "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
                    "Owner": {"type": "object"},
                    "Receipt": {"type": "object"},
                    "Unused": {"type": "string"}
                },
                "responses": {"Created": {"description": "made", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Receipt"}}}}},
                "parameters": {"Trace": {"name": "trace", "in": "header", "schema": {"type": "string"}}},
                "securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}
            }
        })
    }

    fn names(document: &Value, section: &str) -> Vec<String> {
        document["components"][section].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
    }

    #[test]
    fn a_subset_keeps_what_its_operations_reach_through_other_components() {
        let document = api();
        let subsets = Subsets::new(&document);
        let pets = subsets.document(&[("/pets".into(), "get".into())]);
        assert_eq!(names(&pets, "schemas"), ["Pets", "Pet", "Owner"]);
        // The path item's shared parameter comes along, and so does the component it names.
        assert_eq!(names(&pets, "parameters"), ["Trace"]);
        assert_eq!(pets["paths"]["/pets"].as_object().unwrap().keys().collect::<Vec<_>>(), ["parameters", "get"]);
        assert!(pets["paths"].get("/owners").is_none());
        assert_eq!(names(&pets, "securitySchemes"), ["key"]);
        assert_eq!(pets["info"], document["info"]);
    }

    #[test]
    fn a_response_component_brings_its_schema_and_nothing_else_comes() {
        let document = api();
        let subsets = Subsets::new(&document);
        let post = subsets.document(&[("/pets".into(), "post".into())]);
        assert_eq!(names(&post, "responses"), ["Created"]);
        assert_eq!(names(&post, "schemas"), ["Receipt"]);
        let none = subsets.document(&[]);
        assert_eq!(names(&none, "schemas"), Vec::<String>::new());
        assert_eq!(none["paths"], json!({}));
    }
}
