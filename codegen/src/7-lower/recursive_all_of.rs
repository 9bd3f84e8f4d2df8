//! An `allOf` over schemas that contain themselves is merged here, one level deep, so that
//! typify never merges it.
//!
//! typify merges the members of an `allOf` into one schema, following their `$ref`s and the
//! properties they share; when a member contains itself (`Node.children: [Node]`, a query
//! language's `bool.must: [Query]`), that merge never ends and the generator dies of a stack
//! overflow, which no `catch_unwind` can turn into a warning: the whole API was lost. An
//! `allOf` whose members are objects means one object with all their properties and all their
//! required names. That is written out here, each property kept as written (a `$ref` stays a
//! `$ref`, so the cycle goes through a named type typify boxes), only where a member reaches a
//! schema on a cycle of references, or where two members document the same property (typify's
//! merge keeps both: a struct with two fields `name`; here the later member's schema is kept).
//! An `allOf` that is not a list of objects (a member with `oneOf`, a scalar) is left alone.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// Merges every `allOf` of objects that reaches a recursive component, as the module docs say.
///
/// The places are found first and merged deepest first, each from the document as merged so
/// far: a merged copy is never walked again (merging while walking copied nested copies, and
/// an API whose queries nest deeply ran out of memory).
pub fn flatten_recursive_all_of(document: &mut Value, changes: &mut Vec<Change>) {
    let recursive = recursive_components(document);
    let root = pointer::reference_targets(document);
    let mut find = Find { root: &root, recursive: &recursive, places: Vec::new() };
    walk(&mut find, Kind::Document, document, "");
    let mut places = find.places;
    places.sort_by_key(|at| std::cmp::Reverse(at.matches('/').count()));
    for at in places {
        let Some(Value::Array(members)) = document.pointer(&at).and_then(|s| s.get("allOf")).cloned() else {
            continue;
        };
        let Some((properties, required)) = merged(&members, document, &mut BTreeSet::new()) else { continue };
        let Some(Value::Object(object)) = document.pointer_mut(&at) else { continue };
        flatten(object, properties, required);
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(&at, "allOf"))
                .values(Some(Value::Array(members)), None)
                .note("an allOf of objects merged into one object: typify's merge does not end on schemas that contain themselves, and keeps a property two members document twice"),
        );
    }
}

/// The schemas whose `allOf` reaches a recursive component, or whose members document one
/// property twice.
struct Find<'a> {
    root: &'a Value,
    recursive: &'a BTreeSet<String>,
    places: Vec<String>,
}

impl Visitor for Find<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        let Some(Value::Array(members)) = object.get("allOf").filter(|_| kind == Kind::Schema) else { return };
        let reaches_cycle = members.iter().any(|member| {
            pointer::component_refs(member)
                .iter()
                .any(|(section, name)| section == "schemas" && self.recursive.contains(name))
        });
        if reaches_cycle || shares_a_property(members, self.root) {
            self.places.push(at.to_string());
        }
    }
}

/// Whether two members of an `allOf` document the same property, or two properties of one
/// Rust name (`_name` and `name`): typify's merge keeps both, a struct with two fields `name`
/// that does not compile.
fn shares_a_property(members: &[Value], root: &Value) -> bool {
    let mut seen = BTreeSet::new();
    for member in members {
        let mut names = Vec::new();
        property_names(member, root, &mut BTreeSet::new(), &mut names);
        let rust: BTreeSet<String> = names.iter().map(|n| crate::model::naming::generator_name(n, false)).collect();
        for name in rust {
            if !seen.insert(name) {
                return true;
            }
        }
    }
    false
}

/// The property names of a schema, through its `$ref`s and its own `allOf`.
fn property_names(schema: &Value, root: &Value, refs: &mut BTreeSet<String>, out: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if !refs.insert(reference.to_string()) {
            return;
        }
    }
    let schema = pointer::resolve(schema, root);
    out.extend(schema.get("properties").and_then(Value::as_object).into_iter().flatten().map(|(n, _)| n.clone()));
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        property_names(member, root, refs, out);
    }
}

/// `object` without its `allOf`, with the merged `properties` and `required` instead.
fn flatten(object: &mut Map<String, Value>, properties: Vec<(String, Value)>, required: Vec<String>) {
    object.remove("allOf");
    object.entry("type").or_insert(Value::String("object".into()));
    if let Value::Object(own) = object.entry("properties").or_insert_with(|| Value::Object(Map::new())) {
        for (name, schema) in properties {
            own.entry(name).or_insert(schema);
        }
    }
    if required.is_empty() {
        return;
    }
    if let Value::Array(list) = object.entry("required").or_insert_with(|| Value::Array(Vec::new())) {
        for name in required {
            if !list.iter().any(|r| r.as_str() == Some(name.as_str())) {
                list.push(Value::String(name));
            }
        }
    }
}

/// The component schemas that reach themselves through references (Tarjan's strongly connected
/// components: a component of two or more, or one that names itself).
fn recursive_components(document: &Value) -> BTreeSet<String> {
    let Some(schemas) = document.pointer("/components/schemas").and_then(Value::as_object) else {
        return BTreeSet::new();
    };
    let names: Vec<&String> = schemas.keys().collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|name| {
            pointer::component_refs(&schemas[name.as_str()])
                .into_iter()
                .filter(|(section, _)| section == "schemas")
                .filter_map(|(_, target)| index.get(target.as_str()).copied())
                .collect()
        })
        .collect();
    let mut out = BTreeSet::new();
    for component in strongly_connected(&edges) {
        let looped = component.len() > 1 || edges[component[0]].contains(&component[0]);
        if looped {
            out.extend(component.iter().map(|i| names[*i].clone()));
        }
    }
    out
}

/// Tarjan's algorithm, iterative (a spec's schemas nest deeper than a thread's stack allows
/// recursion over them).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0);
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index[node] = next;
                low[node] = next;
                next += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&target) = edges[node].get(edge) {
                work.push((node, edge + 1));
                if index[target] == usize::MAX {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                out.push(component);
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    out
}

/// The properties (in order, a later member's schema winning) and required names of an `allOf`.
type Merged = (Vec<(String, Value)>, Vec<String>);

/// The properties and required names of `members`, each an object (after its `$ref`s, and its
/// own `allOf` merged in turn), or `None` when one is not an object this can merge.
fn merged(members: &[Value], root: &Value, seen: &mut BTreeSet<String>) -> Option<Merged> {
    let mut properties: Vec<(String, Value)> = Vec::new();
    let mut required: Vec<String> = Vec::new();
    for member in members {
        if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
            if !seen.insert(reference.to_string()) {
                continue;
            }
        }
        let member = pointer::resolve(member, root);
        let object = member.as_object()?;
        let composed = ["oneOf", "anyOf", "not", "items", "enum"].iter().any(|k| object.contains_key(*k));
        let typed = object.get("type").and_then(Value::as_str).is_some_and(|t| t != "object");
        if composed || typed {
            return None;
        }
        if let Some(Value::Array(inner)) = object.get("allOf") {
            let (more, also) = merged(inner, root, seen)?;
            properties.extend(more);
            required.extend(also);
        }
        for (name, schema) in object.get("properties").and_then(Value::as_object).into_iter().flatten() {
            match properties.iter_mut().find(|(n, _)| n == name) {
                // The later member narrows what the earlier said; its schema is kept.
                Some(slot) => slot.1 = schema.clone(),
                None => properties.push((name.clone(), schema.clone())),
            }
        }
        required.extend(
            object
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_owned)),
        );
    }
    Some((properties, required))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_all_of_over_a_recursive_schema_becomes_one_object() {
        let mut document = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
            "Named": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
            "NamedNode": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"$ref": "#/components/schemas/Named"}], "description": "d"},
            "Plain": {"allOf": [{"$ref": "#/components/schemas/Named"}]},
        }}});
        let mut changes = Vec::new();
        flatten_recursive_all_of(&mut document, &mut changes);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["NamedNode"],
            json!({"description": "d", "type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "name": {"type": "string"},
            }, "required": ["name"]})
        );
        assert_eq!(
            schemas["Plain"],
            json!({"allOf": [{"$ref": "#/components/schemas/Named"}]}),
            "no cycle: left to typify"
        );
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].pointer, "/components/schemas/NamedNode/allOf");
    }

    #[test]
    fn members_documenting_one_property_twice_become_one_object() {
        let mut document = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {"name": {"type": "string"}, "boost": {"type": "number"}}},
            "Query": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {
                "name": {"type": "string", "description": "the member's own"}}, "required": ["name"]}]},
        }}});
        let mut changes = Vec::new();
        flatten_recursive_all_of(&mut document, &mut changes);
        let query = &document["components"]["schemas"]["Query"];
        assert_eq!(query["properties"]["name"], json!({"type": "string", "description": "the member's own"}));
        assert_eq!(query["properties"]["boost"], json!({"type": "number"}));
        assert_eq!(query["required"], json!(["name"]));
        assert!(query.get("allOf").is_none());
    }

    #[test]
    fn cycles_are_found_through_several_schemas_and_not_elsewhere() {
        let document = json!({"components": {"schemas": {
            "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
            "C": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
            "D": {"properties": {"d": {"$ref": "#/components/schemas/D"}}},
        }}});
        let found: Vec<String> = recursive_components(&document).into_iter().collect();
        assert_eq!(found, ["A", "B", "D"]);
    }
}
