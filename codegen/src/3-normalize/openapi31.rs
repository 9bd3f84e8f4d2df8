//! OpenAPI 3.1 and 3.2 documents, converted to 3.0 before the other rules run.
//!
//! 3.1 aligned schemas with JSON Schema 2020-12; the generator reads 3.0. Each difference that
//! has a 3.0 spelling is rewritten and recorded, keeping what the vendor meant:
//! - a `type` array with `"null"` becomes `nullable`; several other types become a `oneOf` whose
//!   members each keep the keywords that apply to their type; `{type: "null"}` alone, or as an
//!   `anyOf`/`oneOf` member, becomes `nullable`;
//! - `const` a one-value `enum`, a schema's `examples` its first `example`, numeric
//!   `exclusiveMinimum`/`exclusiveMaximum` a bound with the boolean flag, `contentEncoding:
//!   base64` the `byte` format, a single `patternProperties` schema the `additionalProperties`;
//! - a `$ref` into a schema-local `$defs` (`#/$defs/X` written inside a component) points at the
//!   enclosing schema's `$defs`, which the walker visits like any schema;
//! - `webhooks` and `components/pathItems` are kept (3.0 readers ignore them; the walker visits
//!   them, so their schemas are normalized like the rest), and a path that is a `$ref` to a
//!   `components/pathItems` entry is inlined.
//!
//! What 3.0 has no place for is dropped and recorded, with what is no longer checked:
//! `jsonSchemaDialect`, `$schema`, `info.summary`, `prefixItems`, `propertyNames`,
//! `dependentRequired`, `unevaluatedProperties`, ...; from 3.2, `$self`, tag `parent`/`kind`, the
//! `query` method and `additionalOperations` (no HTTP client method the generator knows), and
//! `itemSchema`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::model::keys::Holds;
use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// Whether `document` declares OpenAPI 3.1 or 3.2.
pub fn is_openapi_31(document: &Value) -> bool {
    document
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.trim().starts_with("3.1") || v.trim().starts_with("3.2"))
}

fn record(changes: &mut Vec<Change>, at: String, before: Option<Value>, after: Option<Value>, note: &str) {
    changes.push(Change::new(Stage::Normalize, Rule::OpenApi31Converted, at).values(before, after).note(note));
}

/// JSON Schema keywords 3.0 has no place for, each with what is no longer checked once it goes.
const UNCHECKED: [(&str, &str); 12] = [
    ("propertyNames", "property names are no longer checked"),
    ("dependentRequired", "properties required by others are no longer checked"),
    ("dependentSchemas", "schemas applied when a property is present are no longer checked"),
    ("unevaluatedProperties", "properties no other keyword describes are accepted"),
    ("unevaluatedItems", "items no other keyword describes are accepted"),
    ("contains", "that some item matches is no longer checked"),
    ("minContains", "how many items match `contains` is no longer checked"),
    ("maxContains", "how many items match `contains` is no longer checked"),
    ("if", "the conditional schema is no longer applied"),
    ("then", "the conditional schema is no longer applied"),
    ("else", "the conditional schema is no longer applied"),
    ("contentMediaType", "the media type of the string's content is documentation only"),
];

/// JSON Schema identifiers and comments: meaningless to a 3.0 reader.
const IDENTIFIERS: [&str; 7] =
    ["$schema", "$id", "$comment", "$anchor", "$dynamicAnchor", "$vocabulary", "$dynamicRef"];

/// Converts a 3.1 or 3.2 document to 3.0 in place, returning what changed.
pub fn convert(document: &mut Value) -> Vec<Change> {
    let mut changes = Vec::new();
    if !is_openapi_31(document) {
        return changes;
    }
    let defs = local_defs(document);
    let Some(root) = document.as_object_mut() else { return changes };
    let before = root.insert("openapi".into(), json!("3.0.3"));
    record(&mut changes, "/openapi".into(), before, Some(json!("3.0.3")), "read as OpenAPI 3.0");
    for key in ["jsonSchemaDialect", "$self"] {
        if let Some(old) = root.remove(key) {
            record(&mut changes, pointer::child("", key), Some(old), None, "OpenAPI 3.0 has no place for it; dropped");
        }
    }
    convert_info_and_tags(root, &mut changes);
    inline_path_item_refs(root, &mut changes);
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            drop_unsendable_methods(item, &pointer::child("/paths", path), &mut changes);
        }
    }
    walk(&mut Schemas { changes: &mut changes, defs }, Kind::Document, document, "");
    changes
}

fn convert_info_and_tags(root: &mut Map<String, Value>, changes: &mut Vec<Change>) {
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if let Some(old) = info.remove("summary") {
            record(changes, "/info/summary".into(), Some(old), None, "OpenAPI 3.0's info has no summary; dropped");
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            if let Some(old) = license.remove("identifier") {
                record(
                    changes,
                    "/info/license/identifier".into(),
                    Some(old),
                    None,
                    "OpenAPI 3.0's license has no SPDX identifier; dropped",
                );
            }
        }
    }
    if let Some(Value::Array(tags)) = root.get_mut("tags") {
        for (index, tag) in tags.iter_mut().enumerate() {
            let Some(tag) = tag.as_object_mut() else { continue };
            for key in ["parent", "kind"] {
                if let Some(old) = tag.remove(key) {
                    record(
                        changes,
                        format!("/tags/{index}/{key}"),
                        Some(old),
                        None,
                        "OpenAPI 3.0 tags are flat; the tag hierarchy is dropped",
                    );
                }
            }
        }
    }
}

/// A path that is a `$ref` to a `components/pathItems` entry (3.1) is replaced by that entry.
fn inline_path_item_refs(root: &mut Map<String, Value>, changes: &mut Vec<Change>) {
    let items = root.get("components").and_then(|c| c.get("pathItems")).cloned().unwrap_or(Value::Null);
    let Some(Value::Object(paths)) = root.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut() {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else { continue };
        let Some(name) = reference.strip_prefix("#/components/pathItems/").map(pointer::unescape) else { continue };
        let Some(target) = items.get(&name) else { continue };
        let reference = Value::String(reference.to_string());
        *item = target.clone();
        record(
            changes,
            pointer::child(&pointer::child("/paths", path), "$ref"),
            Some(reference),
            None,
            "a path item defined in components/pathItems, inlined where 3.0 expects it",
        );
    }
}

/// The `query` method and `additionalOperations` of 3.2 have no client method the generator
/// can emit; each is dropped and recorded with its operationId.
fn drop_unsendable_methods(item: &mut Value, at: &str, changes: &mut Vec<Change>) {
    let Some(item) = item.as_object_mut() else { return };
    if let Some(query) = item.remove("query") {
        let id = query.get("operationId").cloned();
        record(
            changes,
            pointer::child(at, "query"),
            id,
            None,
            "the 3.2 QUERY method has no 3.0 spelling; the operation is left out",
        );
    }
    if let Some(Value::Object(more)) = item.remove("additionalOperations") {
        let methods: Vec<Value> = more.keys().map(|m| Value::String(m.clone())).collect();
        record(
            changes,
            pointer::child(at, "additionalOperations"),
            Some(Value::Array(methods)),
            None,
            "operations with custom HTTP methods have no 3.0 spelling; left out",
        );
    }
}

/// Where each `$defs` map stands, with its names: `#/$defs/X` written inside a schema means
/// the `$defs` of the schema resource that encloses it.
fn local_defs(document: &Value) -> BTreeMap<String, Vec<String>> {
    fn collect(value: &Value, at: &mut String, holds: Holds, out: &mut BTreeMap<String, Vec<String>>) {
        let depth = at.len();
        match value {
            Value::Object(object) => {
                if let Some(Value::Object(defs)) = object.get("$defs").filter(|_| holds == Holds::Keywords) {
                    out.insert(at.clone(), defs.keys().cloned().collect());
                }
                for (key, child) in object {
                    let inner = holds.child(key, child);
                    if !inner.is_structure() {
                        continue;
                    }
                    pointer::push_token(at, key);
                    collect(child, at, inner, out);
                    at.truncate(depth);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    at.push_str(&format!("/{index}"));
                    collect(item, at, holds, out);
                    at.truncate(depth);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    collect(document, &mut String::new(), Holds::Keywords, &mut out);
    out
}

/// The schema of each item of the streamed media type at `at` (`…/content/<media type>`), from
/// its `itemSchema`: the item itself for JSON lines and for server-sent events alike (there it
/// describes each event, `{event, data}`; lowering takes the data's schema from it,
/// [`crate::lower::events`]).
fn streamed_item(at: &str, item: &Value) -> Option<Value> {
    let media_type = pointer::unescape(at.rsplit('/').next()?);
    crate::model::streams::stream_kind(&media_type).map(|_| item.clone())
}

struct Schemas<'a> {
    changes: &'a mut Vec<Change>,
    /// [`local_defs`] of the document.
    defs: BTreeMap<String, Vec<String>>,
}

impl Visitor for Schemas<'_> {
    fn visit(&mut self, kind: Kind, schema: &mut Map<String, Value>, at: &str) {
        if kind == Kind::MediaType && !schema.contains_key("schema") {
            // A streamed media type's items: each line's value, or each event's `data` when it
            // says its content is JSON. The client decodes each as it arrives.
            let item = schema.get("itemSchema").and_then(|item| streamed_item(at, item));
            if let Some(item) = item {
                let old = schema.remove("itemSchema");
                schema.insert("schema".into(), item.clone());
                record(
                    self.changes,
                    pointer::child(at, "itemSchema"),
                    old,
                    Some(item),
                    "each item of the stream is read as this schema, as it arrives",
                );
            }
        }
        if kind == Kind::MediaType {
            if let Some(old) = schema.remove("itemSchema") {
                record(
                    self.changes,
                    pointer::child(at, "itemSchema"),
                    Some(old),
                    None,
                    "the schema of each item of a sequential media type has no 3.0 spelling; the body is read whole",
                );
            }
        }
        if kind != Kind::Schema {
            return;
        }
        let here = |key: &str| pointer::child(at, key);
        for key in IDENTIFIERS {
            if let Some(old) = schema.remove(key) {
                record(
                    self.changes,
                    here(key),
                    Some(old),
                    None,
                    "a JSON Schema keyword OpenAPI 3.0 does not have; dropped",
                );
            }
        }
        convert_type_array(schema, at, self.changes);
        convert_null_type(schema, at, self.changes);
        convert_null_members(schema, at, self.changes);
        if let Some(value) = schema.remove("const") {
            if value.is_null() {
                schema.insert("nullable".into(), Value::Bool(true));
            }
            schema.insert("enum".into(), Value::Array(vec![value.clone()]));
            record(self.changes, here("const"), Some(value.clone()), Some(json!([value])), "const as a one-value enum");
        }
        convert_examples(schema, at, self.changes);
        convert_exclusive_bounds(schema, at, self.changes);
        if let Some(encoding) = schema.remove("contentEncoding") {
            let base64 = encoding.as_str().is_some_and(|e| e.eq_ignore_ascii_case("base64"));
            if base64 && !schema.contains_key("format") {
                schema.insert("format".into(), json!("byte"));
                record(
                    self.changes,
                    here("contentEncoding"),
                    Some(encoding),
                    Some(json!({"format": "byte"})),
                    "base64 content as the 3.0 `byte` format",
                );
            } else {
                record(
                    self.changes,
                    here("contentEncoding"),
                    Some(encoding),
                    None,
                    "the content encoding is documentation only in 3.0; dropped",
                );
            }
        }
        convert_prefix_items(schema, at, self.changes);
        convert_boolean_schemas(schema, at, self.changes);
        convert_pattern_properties(schema, at, self.changes);
        for (key, unchecked) in UNCHECKED {
            if let Some(old) = schema.remove(key) {
                record(self.changes, here(key), Some(old), None, unchecked);
            }
        }
    }

    fn visit_ref(&mut self, _kind: Kind, object: &mut Map<String, Value>, at: &str) {
        let Some(Value::String(reference)) = object.get_mut("$ref") else { return };
        let Some(name) = reference.strip_prefix("#/$defs/").map(pointer::unescape) else { return };
        if self.defs.get("").is_some_and(|names| names.contains(&name)) {
            return;
        }
        // The innermost enclosing schema whose `$defs` has the name.
        let enclosing = self
            .defs
            .iter()
            .filter(|(base, names)| at.starts_with(base.as_str()) && names.contains(&name))
            .max_by_key(|(base, _)| base.len());
        if let Some((base, _)) = enclosing {
            let after = format!("#{base}/$defs/{}", pointer::escape(&name));
            let before = std::mem::replace(reference, after.clone());
            record(
                self.changes,
                pointer::child(at, "$ref"),
                Some(json!(before)),
                Some(json!(after)),
                "a reference into the enclosing schema's $defs, spelt from the document's root",
            );
        }
    }
}

/// The keywords that apply to instances of one JSON type, so a `type` array split into a
/// `oneOf` gives each member its own.
pub(crate) fn applies_to(json_type: &str, keyword: &str) -> bool {
    match keyword {
        "minLength" | "maxLength" | "pattern" => json_type == "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            matches!(json_type, "number" | "integer")
        }
        "format" => matches!(json_type, "string" | "number" | "integer"),
        "items" | "minItems" | "maxItems" | "uniqueItems" => json_type == "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => json_type == "object",
        _ => false,
    }
}

/// A numeric `exclusiveMinimum`/`exclusiveMaximum` (JSON Schema 2019 and later, so 3.1, but
/// 3.0 documents written by newer tools carry it too) as the bound and the 3.0 flag.
pub fn convert_exclusive_bounds(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(bound.into(), limit.clone());
            schema.insert(exclusive.into(), Value::Bool(true));
            record(
                changes,
                pointer::child(at, exclusive),
                Some(limit),
                Some(json!(true)),
                "a numeric exclusive bound as the bound and the 3.0 flag",
            );
        }
    }
}

/// `type: [a, b, "null"]`: one non-null type stays the type; several become a `oneOf` (they
/// are disjoint, so `oneOf` and `anyOf` mean the same) whose members take the keywords of their
/// type; `"null"` becomes `nullable`.
pub fn convert_type_array(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(Value::Array(types)) = schema.get("type").cloned() else { return };
    let nullable = types.iter().any(|t| t == "null");
    let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
    let before = schema.remove("type");
    match rest.as_slice() {
        [] => {}
        [single] => {
            schema.insert("type".into(), single.clone());
        }
        several => {
            let variants: Vec<Value> = several
                .iter()
                .map(|t| {
                    let name = t.as_str().unwrap_or_default();
                    let mut member = Map::new();
                    member.insert("type".into(), t.clone());
                    for (key, value) in schema.iter().filter(|(k, _)| applies_to(name, k)) {
                        member.insert(key.clone(), value.clone());
                    }
                    if let Some(Value::Array(values)) = schema.get("enum") {
                        let own: Vec<Value> = values.iter().filter(|v| is_of_type(v, name)).cloned().collect();
                        if !own.is_empty() {
                            member.insert("enum".into(), Value::Array(own));
                        }
                    }
                    Value::Object(member)
                })
                .collect();
            schema.retain(|k, _| !several.iter().any(|t| applies_to(t.as_str().unwrap_or_default(), k)) && k != "enum");
            schema.insert("oneOf".into(), Value::Array(variants));
        }
    }
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    let after = schema.get("type").cloned().or_else(|| schema.get("oneOf").cloned());
    record(
        changes,
        pointer::child(at, "type"),
        before,
        after,
        "a type array: one type, `null` as nullable, several as oneOf",
    );
}

fn is_of_type(value: &Value, json_type: &str) -> bool {
    match json_type {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn is_only_null(member: &Value) -> bool {
    super::null_members::is_only(member, ("type", &json!("null")))
}

/// `{type: "null"}` alone: a value that is always null. 3.0 cannot say "only null"; the nearest
/// it can say is "any value, null included", which decodes what the server sends.
fn convert_null_type(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    if schema.get("type") != Some(&json!("null")) {
        return;
    }
    let before = schema.remove("type");
    schema.insert("nullable".into(), Value::Bool(true));
    record(
        changes,
        pointer::child(at, "type"),
        before,
        Some(json!({"nullable": true})),
        "a schema that is only null: read as any value, null included",
    );
}

/// An `anyOf`/`oneOf` member `{type: "null"}` makes the schema `nullable`; a single remaining
/// member becomes an `allOf` of one, the 3.0 way to say "this, or null".
fn convert_null_members(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    for (key, _, _) in super::null_members::fold_null_members(schema, is_only_null, false) {
        record(
            changes,
            pointer::child(at, key),
            None,
            Some(json!({ "nullable": true })),
            "a `{type: null}` member as nullable",
        );
    }
}

/// A schema's `examples` (an array in 3.1) becomes its first `example`. A map of named Example
/// Objects (not allowed, but published) gives its first `value`.
fn convert_examples(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(examples) = schema.remove("examples") else { return };
    let first = match &examples {
        Value::Array(items) => items.first().cloned(),
        Value::Object(named) => named.values().next().map(|e| e.get("value").cloned().unwrap_or_else(|| e.clone())),
        _ => None,
    };
    let note = if examples.is_array() {
        "a schema's examples array as its first example"
    } else {
        "a schema's examples written as a map (3.1 requires an array): its first value as the example"
    };
    if let Some(first) = &first {
        schema.entry("example").or_insert_with(|| first.clone());
    }
    record(changes, pointer::child(at, "examples"), Some(examples), first, note);
}

/// `patternProperties` with one pattern and no `additionalProperties`: every other property's
/// schema, which is what a reader needs; the pattern itself is no longer checked.
fn convert_pattern_properties(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(patterns) = schema.remove("patternProperties") else { return };
    let single = patterns.as_object().filter(|p| p.len() == 1).and_then(|p| p.values().next().cloned());
    match single {
        Some(value) if !schema.contains_key("additionalProperties") => {
            schema.insert("additionalProperties".into(), value.clone());
            record(
                changes,
                pointer::child(at, "patternProperties"),
                Some(patterns),
                Some(json!({"additionalProperties": value})),
                "one property pattern as additionalProperties; the names are no longer checked against it",
            );
        }
        _ => record(
            changes,
            pointer::child(at, "patternProperties"),
            Some(patterns),
            None,
            "property patterns are no longer checked",
        ),
    }
}

/// `prefixItems` (a tuple): 3.0 has one `items` schema for all. When `items` does not already
/// say what every item is, it becomes the one prefix schema (when they are all alike) or any of
/// them; `items: false` (no more items than the prefix) becomes `maxItems`.
fn convert_prefix_items(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(prefix) = schema.remove("prefixItems") else { return };
    let members = prefix.as_array().cloned().unwrap_or_default();
    let closed = schema.get("items") == Some(&Value::Bool(false));
    if closed || !schema.contains_key("items") {
        let items = match members.as_slice() {
            [] => json!({}),
            [first, rest @ ..] if rest.iter().all(|m| m == first) => first.clone(),
            several => json!({ "anyOf": several }),
        };
        schema.insert("items".into(), items);
        if closed {
            schema.insert("maxItems".into(), json!(members.len()));
        }
    }
    let after = json!({ "items": schema.get("items"), "maxItems": schema.get("maxItems") });
    record(
        changes,
        pointer::child(at, "prefixItems"),
        Some(prefix),
        Some(after),
        "a tuple as an array of its item schemas; the position of each item is no longer checked",
    );
}

/// Boolean schemas (`true`: anything, `false`: nothing) where 3.0 expects a Schema Object:
/// `true` becomes `{}`; a `false` property cannot be present, so it goes; `items: false` means
/// an empty array. (`additionalProperties` takes booleans in 3.0 too and is left alone.)
fn convert_boolean_schemas(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let note = |changes: &mut Vec<Change>, key: String, before: bool, after: Option<Value>| {
        record(changes, key, Some(Value::Bool(before)), after, "a boolean schema in its 3.0 spelling");
    };
    for key in ["items", "not"] {
        if let Some(Value::Bool(flag)) = schema.get(key).cloned() {
            match (key, flag) {
                ("items", false) => {
                    schema.insert("items".into(), json!({}));
                    schema.insert("maxItems".into(), json!(0));
                }
                ("not", true) => {
                    schema.remove("not");
                }
                _ => {
                    schema.insert(key.into(), json!({}));
                }
            }
            note(changes, pointer::child(at, key), flag, schema.get(key).cloned());
        }
    }
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        let flagged: Vec<(String, bool)> =
            properties.iter().filter_map(|(name, p)| p.as_bool().map(|flag| (name.clone(), flag))).collect();
        for (name, flag) in flagged {
            if flag {
                properties.insert(name.clone(), json!({}));
            } else {
                properties.remove(&name);
            }
            let here = pointer::child(&pointer::child(at, "properties"), &name);
            note(changes, here, flag, flag.then(|| json!({})));
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = schema.get_mut(key) {
            for (index, member) in members.iter_mut().enumerate() {
                if let Value::Bool(flag) = *member {
                    *member = if flag { json!({}) } else { json!({ "not": {} }) };
                    note(changes, format!("{}/{index}", pointer::child(at, key)), flag, Some(member.clone()));
                }
            }
        }
    }
}
