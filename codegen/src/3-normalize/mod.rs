//! Stage 3, normalize: generic quirk rules over one raw document.
//!
//! A Swagger 2.0 document is first converted to OpenAPI 3.0 ([`swagger2`]), an OpenAPI 3.1 or
//! 3.2 one likewise ([`openapi31`]). Then two passes over the document, each knowing the OpenAPI object kind of every node
//! ([`walk`]): first the keywords are brought to their types ([`keywords`], [`bounds`],
//! draft-3 style `required: true` on properties, [`null_members`]), then examples, defaults and enum values are
//! checked against the now clean schemas ([`instances`]). Finally every local `$ref` must point
//! at something. Extensions (`x-...`) are never touched.
//!
//! Each rewrite is recorded as a [`Change`]; values no rule can fix are errors with a pointer.

pub mod alternatives;
pub mod bounds;
pub mod dangling;
pub mod examples;
pub mod formats;
pub mod instances;
pub mod keywords;
pub mod null_members;
pub mod openapi31;
pub mod ref_siblings;
pub mod swagger2;
pub mod unreadable;

use serde_json::{Map, Value};

use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::model::keys::Holds;
use crate::model::pointer;
use crate::model::walk::{self, walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// What normalizing one document produced.
#[derive(Debug, Default)]
pub struct Normalized {
    /// Every rewrite made, in document order.
    pub changes: Vec<Change>,
    /// Problems: errors for values no rule can fix, warnings for examples left contradicting
    /// their schema.
    pub problems: Diagnostics,
}

/// Normalizes `document` in place; a reference that points at nothing is an error.
pub fn normalize(document: &mut Value) -> Normalized {
    normalize_with(document, false)
}

/// Normalizes `document` in place; a reference that points at nothing costs only what reaches
/// it ([`dangling`]), with a warning.
pub fn normalize_leniently(document: &mut Value) -> Normalized {
    normalize_with(document, true)
}

fn normalize_with(document: &mut Value, lenient: bool) -> Normalized {
    use crate::timing::timed;
    let (converted, openapi_31) = timed("    normalize: versions", || {
        let mut converted = swagger2::convert(document);
        let openapi_31 = openapi31::is_openapi_31(document);
        converted.extend(openapi31::convert(document));
        (converted, openapi_31)
    });
    let mut keywords = KeywordPass { openapi_31, ..KeywordPass::default() };
    supply_info(document, &mut keywords.out.changes);
    supply_operation_parts(document, &mut keywords.out.changes);
    timed("    normalize: keywords", || walk(&mut keywords, Kind::Document, document, ""));
    let (view, percent_encoded) = timed("    normalize: copy for instances", || instance_view(document));
    let mut instances = InstancePass { root: &view, out: Normalized::default() };
    timed("    normalize: instances", || walk(&mut instances, Kind::Document, document, ""));
    let mut out = instances.out;
    drop(view);
    out.changes.splice(0..0, keywords.out.changes);
    out.changes.splice(0..0, converted);
    let mut problems = keywords.out.problems;
    problems.extend(out.problems);
    // Decoding reads targets in a snapshot; most documents have nothing to decode. (The
    // instance pass changes no reference: it converts scalars, and not to text with a `%`.)
    if percent_encoded {
        let view = document.clone();
        decode_ref_fragments(document, &view, "", Holds::Keywords, &mut out.changes);
    }
    if lenient {
        problems =
            timed("    normalize: unreadable", || unreadable::drop_unreadable(document, problems, &mut out.changes));
        timed("    normalize: dangling", || dangling::degrade(document, &mut out.changes, &mut problems));
    }
    timed("    normalize: check references", || {
        check_references(document, document, &mut String::new(), Holds::Keywords, &mut problems)
    });
    out.problems = problems;
    out
}

/// What the instance pass looks references up in, a copy beside the document it changes, and
/// whether any reference is percent-encoded. When every reference points into `components`
/// (as generators write them), the copy is only `components`: on Microsoft Graph the paths are
/// five sixths of the document (290 MB copied, 40 MB now).
fn instance_view(document: &Value) -> (Value, bool) {
    let references = pointer::references(document);
    let percent_encoded = references.iter().any(|r| r.contains('%'));
    let view = if references.iter().all(|r| r.starts_with("#/components/")) {
        let components = document.get("components").cloned().into_iter().map(|c| ("components".to_string(), c));
        Value::Object(components.collect())
    } else {
        document.clone()
    };
    (view, percent_encoded)
}

#[derive(Default)]
struct KeywordPass {
    out: Normalized,
    /// Whether the document was OpenAPI 3.1 or later, where a `$ref`'s siblings apply.
    openapi_31: bool,
}

impl Visitor for KeywordPass {
    fn visit_ref(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if kind == Kind::Schema {
            ref_siblings::keep_ref_siblings(object, at, self.openapi_31, &mut self.out.changes);
        }
    }

    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if kind == Kind::Schema {
            // Type arrays are 3.1, but 2.0 and 3.0 documents carry them too.
            openapi31::convert_type_array(object, at, &mut self.out.changes);
            openapi31::convert_exclusive_bounds(object, at, &mut self.out.changes);
            lift_property_required_flags(object, at, &mut self.out.changes);
            if let Some(required) = object.get("required").filter(|r| !r.is_array()) {
                self.out.problems.push(
                    Diagnostic::new(
                        diagnostics::Kind::InvalidRequired,
                        format!("a schema's `required` must be a list of property names, found {required}"),
                    )
                    .at(pointer::child(at, "required")),
                );
            }
        }
        if kind == Kind::Response && !object.get("description").is_some_and(Value::is_string) {
            let before = object.insert("description".into(), Value::String(String::new()));
            self.out.changes.push(
                Change::new(Stage::Normalize, Rule::RequiredKeywordSupplied, pointer::child(at, "description"))
                    .values(before, Some(Value::String(String::new())))
                    .note("a response must have a description; an empty one says nothing new"),
            );
        }
        keywords::fix_keywords(kind, object, at, &mut self.out.changes, &mut self.out.problems);
        if kind == Kind::Schema {
            null_enum_value_as_nullable(object, at, &mut self.out.changes);
            null_members::null_members_as_nullable(object, at, &mut self.out.changes);
            alternatives::drop_type_contradicting_alternatives(object, at, &mut self.out.changes);
            formats::drop_contradicted_format(object, at, &mut self.out.changes);
            match_required_spellings(object, at, &mut self.out.changes);
            bounds::clamp_integer_bounds(object, at, &mut self.out.changes);
        }
    }
}

/// The Info Object's required `title` and `version`: generators write specs without a version
/// (or with a number for it); an empty string says nothing new, and the number is its spelling.
fn supply_info(document: &mut Value, changes: &mut Vec<Change>) {
    let Some(root) = document.as_object_mut() else { return };
    if !root.get("info").is_some_and(Value::is_object) {
        let before = root.insert("info".into(), Value::Object(Map::new()));
        changes.push(
            Change::new(Stage::Normalize, Rule::RequiredKeywordSupplied, "/info")
                .values(before, Some(Value::Object(Map::new())))
                .note("a document must have an Info Object"),
        );
    }
    let Some(Value::Object(info)) = root.get_mut("info") else { return };
    for keyword in ["title", "version"] {
        let after = match info.get(keyword) {
            Some(Value::String(_)) => continue,
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        };
        let before = info.insert(keyword.into(), Value::String(after.clone()));
        changes.push(
            Change::new(Stage::Normalize, Rule::RequiredKeywordSupplied, format!("/info/{keyword}"))
                .values(before, Some(Value::String(after)))
                .note("the Info Object requires it as a string"),
        );
    }
}

/// What an operation must have in a shape generators leave out: `responses` (a `default` with
/// an empty description says nothing new), and each security requirement's list of scopes (a
/// `null` there means none; one scope as a string is that scope).
fn supply_operation_parts(document: &mut Value, changes: &mut Vec<Change>) {
    fn scopes(requirements: &mut Value, at: &str, changes: &mut Vec<Change>) {
        for (index, requirement) in requirements.as_array_mut().into_iter().flatten().enumerate() {
            for (scheme, scopes) in requirement.as_object_mut().into_iter().flatten() {
                let after = match scopes {
                    Value::Array(_) => continue,
                    Value::String(one) => Value::Array(vec![Value::String(one.clone())]),
                    _ => Value::Array(Vec::new()),
                };
                let here = pointer::child(&format!("{at}/{index}"), scheme);
                let before = std::mem::replace(scopes, after.clone());
                changes.push(
                    Change::new(Stage::Normalize, Rule::RequiredKeywordSupplied, here)
                        .values(Some(before), Some(after))
                        .note("a security requirement lists the scopes it needs"),
                );
            }
        }
    }
    if let Some(security) = document.get_mut("security") {
        scopes(security, "/security", changes);
    }
    let Some(Value::Object(paths)) = document.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut().filter(|(p, _)| !p.starts_with("x-")) {
        for (method, operation) in item.as_object_mut().into_iter().flatten() {
            let Some(operation) = operation.as_object_mut().filter(|_| walk::is_operation_key(method)) else {
                continue;
            };
            let at = pointer::child(&pointer::child("/paths", path), method);
            if let Some(security) = operation.get_mut("security") {
                scopes(security, &pointer::child(&at, "security"), changes);
            }
            if !operation.get("responses").is_some_and(Value::is_object) {
                let after = serde_json::json!({"default": {"description": ""}});
                let before = operation.insert("responses".into(), after.clone());
                changes.push(
                    Change::new(Stage::Normalize, Rule::RequiredKeywordSupplied, pointer::child(&at, "responses"))
                        .values(before, Some(after))
                        .note("an operation must document its responses; whatever it answers is read as any value"),
                );
            }
        }
    }
}

/// A value as JSON, cut to a line's length: an example can be a whole response.
fn excerpt(value: &Value) -> String {
    const LIMIT: usize = 120;
    let text = value.to_string();
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
        None => text,
    }
}

/// `null` listed among a schema's enum values means the value may be null: OpenAPI 3.0 says
/// that with `nullable`. Left in the list, the generator makes the enum and its nullable
/// wrapper two types of one name, which does not compile.
fn null_enum_value_as_nullable(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(Value::Array(values)) = object.get_mut("enum") else { return };
    if !values.iter().any(Value::is_null) || values.iter().all(Value::is_null) {
        return;
    }
    let before = Value::Array(values.clone());
    values.retain(|v| !v.is_null());
    let after = Value::Array(values.clone());
    object.insert("nullable".into(), Value::Bool(true));
    changes.push(
        Change::new(Stage::Normalize, Rule::EnumRepaired, pointer::child(at, "enum"))
            .values(Some(before), Some(after))
            .note("null listed as a value: the schema made nullable"),
    );
}

/// A `required` name that is no property of the object but spells one in another case
/// (`authorizeUrl` beside the property `authorize_url`) means that property: the list was
/// written in another convention than the properties. Left as is, the name asks for a second
/// field of any type whose Rust name is the property's, which does not compile.
fn match_required_spellings(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(Value::Object(properties)) = object.get("properties") else { return };
    let by_field: std::collections::BTreeMap<String, String> =
        properties.keys().map(|k| (crate::model::naming::generator_name(k, false), k.clone())).collect();
    let names: Vec<String> = properties.keys().cloned().collect();
    let Some(Value::Array(required)) = object.get_mut("required") else { return };
    for (index, entry) in required.iter_mut().enumerate() {
        let Some(name) = entry.as_str().filter(|n| !names.iter().any(|p| p == n)) else { continue };
        let Some(property) = by_field.get(&crate::model::naming::generator_name(name, false)) else { continue };
        changes.push(
            Change::new(
                Stage::Normalize,
                Rule::RequiredNameMatched,
                format!("{}/{index}", pointer::child(at, "required")),
            )
            .values(Some(entry.clone()), Some(Value::String(property.clone()))),
        );
        *entry = Value::String(property.clone());
    }
}

/// Moves `required: true` written on property schemas (JSON Schema draft 3) into the object's
/// `required` list, where OpenAPI 3.0 reads it.
fn lift_property_required_flags(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(Value::Object(properties)) = object.get_mut("properties") else { return };
    let mut lifted = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Some(property) = property.as_object_mut() else { continue };
        let flag = match property.get("required") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => match keywords::parse_bool(s) {
                Some(b) => b,
                None => continue,
            },
            _ => continue,
        };
        let before = property.remove("required");
        let here = pointer::child(&pointer::child(&pointer::child(at, "properties"), name), "required");
        changes.push(
            Change::new(Stage::Normalize, Rule::PropertyRequiredFlag, here).values(before, None).note(if flag {
                "listed in the parent's `required`"
            } else {
                "dropped: false is the default"
            }),
        );
        if flag {
            lifted.push(Value::String(name.clone()));
        }
    }
    if !lifted.is_empty() {
        let required = object.entry("required").or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = required {
            for name in lifted {
                if !list.contains(&name) {
                    list.push(name);
                }
            }
        }
    }
}

struct InstancePass<'a> {
    root: &'a Value,
    out: Normalized,
}

impl InstancePass<'_> {
    /// Coerces a scalar example to its schema's type; what no rule can fix (a wrong type, a
    /// missing required property, a value outside the enum) is a warning with its pointer.
    fn example_against(&mut self, value: &mut Value, schema: &Value, at: &str) {
        let stuck = instances::coerce_instance(value, schema, self.root, at, &mut self.out.changes);
        let found = examples::contradiction(value, schema, self.root)
            .or_else(|| stuck.then(|| (String::new(), "its type is not the schema's".to_string())));
        if let Some((inner, why)) = found {
            let where_ = if inner.is_empty() { String::new() } else { format!(" at {inner}") };
            self.out.problems.push(
                Diagnostic::new(
                    diagnostics::Kind::ExampleMismatch,
                    format!("example value {} contradicts its schema{where_}: {why}", excerpt(value)),
                )
                .at(at),
            );
        }
    }
}

impl Visitor for InstancePass<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        match kind {
            Kind::Schema => {
                // The schema is copied only to hold beside its own instances: most have none.
                if object.contains_key("example") || object.contains_key("default") {
                    let schema = Value::Object(object.clone());
                    for keyword in ["example", "default"] {
                        if let Some(value) = object.get_mut(keyword) {
                            self.example_against(value, &schema, &pointer::child(at, keyword));
                        }
                    }
                }
                instances::coerce_enum(object, self.root, at, &mut self.out.changes, &mut self.out.problems);
            }
            Kind::Parameter | Kind::Header | Kind::MediaType => {
                let Some(schema) = object.get("schema").cloned() else { return };
                if let Some(value) = object.get_mut("example") {
                    self.example_against(value, &schema, &pointer::child(at, "example"));
                }
                if let Some(Value::Object(examples)) = object.get_mut("examples") {
                    for (name, example) in examples.iter_mut() {
                        if let Some(value) = example.get_mut("value") {
                            let here = pointer::child(&pointer::child(&pointer::child(at, "examples"), name), "value");
                            self.example_against(value, &schema, &here);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A `$ref` is a URI, so its fragment may be percent-encoded (RFC 6901, section 6):
/// `#/paths/~1items~1%7Bid%7D` means the path `/items/{id}`. Such fragments are rewritten to the
/// plain pointer when that is what resolves, so later stages need only one spelling.
fn decode_ref_fragments(value: &mut Value, root: &Value, at: &str, holds: Holds, changes: &mut Vec<Change>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref").filter(|_| holds == Holds::Keywords) {
                if let Some(fragment) = reference.strip_prefix('#').filter(|f| f.contains('%')) {
                    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
                    if root.pointer(fragment).is_none() && root.pointer(&decoded).is_some() {
                        let after = format!("#{decoded}");
                        changes.push(
                            Change::new(Stage::Normalize, Rule::RefFragmentDecoded, pointer::child(at, "$ref"))
                                .values(Some(Value::String(reference.clone())), Some(Value::String(after.clone()))),
                        );
                        *reference = after;
                    }
                }
            }
            for (key, child) in object.iter_mut() {
                let inner = holds.child(key, child);
                if inner.is_structure() {
                    decode_ref_fragments(child, root, &pointer::child(at, key), inner, changes);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                decode_ref_fragments(item, root, &format!("{at}/{index}"), holds, changes);
            }
        }
        _ => {}
    }
}

/// Every `$ref` must point at something in this document.
/// `at` is one buffer for the whole walk (a new pointer string per JSON value was most of its cost).
fn check_references(value: &Value, root: &Value, at: &mut String, holds: Holds, problems: &mut Diagnostics) {
    let depth = at.len();
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref").filter(|_| holds == Holds::Keywords) {
                let here = || pointer::child(at, "$ref");
                match reference.strip_prefix('#') {
                    Some(target) if root.pointer(target).is_some() => {}
                    Some(_) => problems.push(
                        Diagnostic::new(
                            diagnostics::Kind::DanglingReference,
                            format!("`$ref` {reference:?} points at nothing in this document"),
                        )
                        .at(here()),
                    ),
                    None => problems.push(
                        Diagnostic::new(
                            diagnostics::Kind::ExternalReference,
                            format!("external `$ref` {reference:?} is not supported yet"),
                        )
                        .at(here()),
                    ),
                }
            }
            for (key, child) in object {
                let inner = holds.child(key, child);
                if inner.is_structure() && matches!(child, Value::Object(_) | Value::Array(_)) {
                    pointer::push_token(at, key);
                    check_references(child, root, at, inner, problems);
                    at.truncate(depth);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                use std::fmt::Write;
                let _ = write!(at, "/{index}");
                check_references(item, root, at, holds, problems);
                at.truncate(depth);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_long_example_is_shown_as_an_excerpt_with_its_length() {
        let long = json!({"text": "x".repeat(500)});
        let shown = super::excerpt(&long);
        assert!(shown.starts_with("{\"text\":\"xxx"), "{shown}");
        assert!(shown.ends_with("… (511 characters)"), "{shown}");
        assert_eq!(super::excerpt(&json!("short")), "\"short\"");
    }

    #[test]
    fn instances_are_looked_up_in_components_alone_when_every_reference_points_there() {
        let into_components = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/Limit"}]}}},
            "components": {"parameters": {"Limit": {"name": "limit", "in": "query", "$ref": "#/components/x%20y"}}},
        });
        let (view, percent_encoded) = super::instance_view(&into_components);
        assert_eq!(view, json!({"components": into_components["components"]}));
        assert!(percent_encoded);
        // A reference into the paths needs the whole document to resolve.
        let into_paths = json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "n", "in": "query", "schema": {"type": "integer"}}]}}},
            "components": {"schemas": {"N": {"$ref": "#/paths/~1a/get/parameters/0/schema"}}},
        });
        let (view, percent_encoded) = super::instance_view(&into_paths);
        assert_eq!(view, into_paths);
        assert!(!percent_encoded);
    }

    #[test]
    fn an_example_is_coerced_through_a_reference_into_the_paths() {
        let mut document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [{"name": "n", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok"}},
            }}},
            "components": {"schemas": {"N": {"$ref": "#/paths/~1a/get/parameters/0/schema"}, "Holder": {
                "type": "object",
                "properties": {"n": {"$ref": "#/components/schemas/N"}},
                "example": {"n": "5"},
            }}},
        });
        super::normalize(&mut document);
        assert_eq!(document["components"]["schemas"]["Holder"]["example"], json!({"n": 5}));
    }
}
