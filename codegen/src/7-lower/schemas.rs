//! Schema shapes that are valid OpenAPI but that typify 0.8 refuses, each rewritten to the
//! nearest shape it accepts.
//!
//! - `format` on a boolean, object, array or typeless schema: OpenAPI defines formats only for
//!   strings and numbers, and typify panics ("invalid (or unexpected) schema") on any other.
//!   The format carries no wire meaning there, so it is dropped.
//! - A `default` the schema itself forbids (wrong JSON type, outside the bounds, not one of the
//!   enum values): typify fails the whole spec ("value does not conform"). The default is
//!   dropped; the server applies its own default anyway.
//! - String enums whose values typify cannot turn into distinct variant names (`ASC`/`asc`,
//!   `<`/`>`, repeated values): repeated values are removed, and an enum still colliding is
//!   widened to a plain string, because a string is what the wire carries.
//! - A `title` on an inline schema that another, different schema also carries (or that a
//!   component is named): typify names inline types by their title, so two different `Type`
//!   enums become one type and the spec fails ("value does not conform"). Such titles are
//!   dropped and typify names the types from where they stand (`ImageFieldType`).
//! - `minLength`, `minItems`, `minProperties` of 0: they allow everything, and the check typify
//!   emits for them compares an unsigned length with 0 (a `comparison is useless` warning in
//!   every client that has one). They go.
//! - `anyOf` whose members each declare a different JSON type (a string enum or an object):
//!   at most one can match, so it means `oneOf`, which typify turns into a plain enum; its
//!   `anyOf` handling wraps such a union in a newtype that checks enum values it cannot compare,
//!   and the client does not compile. So does an `anyOf` of typed members that are not all
//!   objects (`string`, `integer`, a date string): typify's struct of flattened optional parts
//!   holds only objects, so a scalar decodes into none; as `oneOf`, the first that fits.
//! - `anyOf`/`oneOf` whose members only list `required` properties of the object beside them
//!   ("at least one of `source`, `cname`"): typify makes a variant per member with the merged
//!   properties, and its merge of such properties emits code that does not compile. The
//!   alternatives go and the object keeps its properties, all optional; that one of them is
//!   present is no longer checked before sending (the server still checks it).
//! - An `enum` (with its `type`) beside `anyOf`/`oneOf` alternatives of other types (a string
//!   enum repeated beside "that enum, or an object"): typify checks the enum on the union,
//!   which it cannot compare, and the client does not compile. The alternatives say what is
//!   allowed, so the outer `enum` and `type` go.
//! - `anyOf` and `oneOf` in one schema: typify asserts there is at most one. With the same
//!   members they say the same (a value matches one of disjoint alternatives), so `oneOf` goes;
//!   otherwise each becomes a member of an `allOf`, which typify merges.
//! - `anyOf`/`oneOf` of a string enum and a plain string ("one of these values, or any
//!   string", TypeScript's `LiteralUnion`): typify makes a struct of optional parts that
//!   cannot hold the string, so no value can be set or decoded. The generated enums keep
//!   unlisted values (`Unknown`), so the enum alone says the same: the alternatives become it.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// Applies the rewrites to every schema of `document`.
pub fn fit_schemas(document: &mut Value, changes: &mut Vec<Change>) {
    let mut titles = InlineTitles::default();
    walk(&mut titles, Kind::Document, document, "");
    if let Some(Value::Object(components)) = document.pointer("/components/schemas") {
        for name in components.keys() {
            titles.shapes.entry(typify_pascal(name)).or_default().insert(String::from("component"));
        }
    }
    let ambiguous = titles.shapes.into_iter().filter(|(_, shapes)| shapes.len() > 1).map(|(title, _)| title).collect();
    walk(&mut DropTitles { ambiguous, changes }, Kind::Document, document, "");
    let root = pointer::reference_targets(document);
    let mut pass = FitSchemas { root: &root, changes: Vec::new() };
    walk(&mut pass, Kind::Document, document, "");
    changes.append(&mut pass.changes);
}

struct FitSchemas<'a> {
    /// What `$ref`s name, as it was before this pass ([`pointer::reference_targets`]).
    root: &'a Value,
    changes: Vec<Change>,
}

impl Visitor for FitSchemas<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if kind != Kind::Schema {
            return;
        }
        drop_empty_alternatives(object, at, &mut self.changes);
        drop_scalar_alternatives(object, at, &mut self.changes);
        known_values_or_any_string(object, self.root, at, &mut self.changes);
        separate_any_of_and_one_of(object, at, &mut self.changes);
        disjoint_any_of_as_one_of(object, self.root, at, &mut self.changes);
        drop_required_only_alternatives(object, at, &mut self.changes);
        drop_enum_beside_alternatives(object, self.root, at, &mut self.changes);
        drop_zero_lower_bounds(object, at, &mut self.changes);
        drop_inapplicable_format(object, at, &mut self.changes);
        super::patterns::drop_uncompilable_pattern(object, at, &mut self.changes);
        drop_invalid_default(object, self.root, at, &mut self.changes);
        fit_enum_variant_names(object, at, &mut self.changes);
    }
}

/// `oneOf: []` or `anyOf: []`: no alternative, which JSON Schema does not allow and typify
/// turns into an enum without variants (no value decodes, every decoder of it unreachable code).
/// A generator wrote it for "no restriction", so it goes.
fn drop_empty_alternatives(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    for keyword in ["oneOf", "anyOf", "allOf"] {
        if object.get(keyword).and_then(Value::as_array).is_some_and(Vec::is_empty) {
            let before = object.remove(keyword);
            changes.push(
                Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, keyword))
                    .values(before, None)
                    .note("no alternative at all: dropped, not a type without values"),
            );
        }
    }
}

/// `{type: string, anyOf: [{format: date-time}, {format: date}]}`: alternatives that only
/// narrow one scalar type. typify makes a struct of flattened optional members of it, which
/// cannot hold a string (and, as a parameter, panics progenitor's builder); the value is the
/// plain scalar.
fn drop_scalar_alternatives(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(kind) = declared_type(object).filter(|k| matches!(*k, "string" | "number" | "integer" | "boolean")) else {
        return;
    };
    let kind = kind.to_string();
    let narrows_only = |member: &Value| {
        member.as_object().is_some_and(|m| {
            m.get("type").is_none_or(|t| t.as_str() == Some(kind.as_str()))
                && !["$ref", "properties", "items", "allOf", "anyOf", "oneOf", "enum", "const"]
                    .iter()
                    .any(|k| m.contains_key(*k))
        })
    };
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = object.get(key) else { continue };
        if members.is_empty() || !members.iter().all(narrows_only) {
            continue;
        }
        let before = object.remove(key);
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, key))
                .values(before, None)
                .note(format!("alternatives that only narrow a {kind} (formats, patterns): the value is a plain {kind}; which one it meets is no longer checked")),
        );
    }
}

fn drop_zero_lower_bounds(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    for keyword in ["minLength", "minItems", "minProperties"] {
        if object.get(keyword).and_then(Value::as_u64) == Some(0) {
            let before = object.remove(keyword);
            changes.push(
                Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, keyword))
                    .values(before, None)
                    .note("a lower bound of 0 allows everything"),
            );
        }
    }
}

/// Where the alternatives [`drop_required_only_alternatives`] took out are kept (typify ignores
/// extensions), so tools that build valid values, like the conformance harness, still know
/// which names one of the sets requires.
pub const REQUIRED_ALTERNATIVES: &str = "x-codegen-required-alternatives";

fn drop_required_only_alternatives(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    if !object.contains_key("properties") {
        return;
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = object.get(key) else { continue };
        let required_only = !members.is_empty()
            && members.iter().all(|m| {
                m.as_object().is_some_and(|m| {
                    m.contains_key("required")
                        && m.keys().all(|k| k == "required" || k == "description" || k == "title")
                })
            });
        if required_only {
            let before = object.remove(key);
            if let Some(alternatives) = &before {
                object.insert(REQUIRED_ALTERNATIVES.into(), alternatives.clone());
            }
            changes.push(
                Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, key))
                    .values(before, None)
                    .note("alternatives that only say which properties must be present: the properties stay, that one set is present is no longer checked"),
            );
        }
    }
}

/// `anyOf: [{$ref: Language}, {type: string}]` → `$ref: Language` (an open enum).
fn known_values_or_any_string(object: &mut Map<String, Value>, root: &Value, at: &str, changes: &mut Vec<Change>) {
    const DOC_KEYS: [&str; 3] = ["type", "description", "title"];
    let plain_string = |member: &Value| {
        member.get("type").and_then(Value::as_str) == Some("string")
            && member
                .as_object()
                .is_some_and(|m| m.keys().all(|k| DOC_KEYS.contains(&k.as_str()) || k.starts_with("x-")))
    };
    let string_enum = |member: &Value| {
        let resolved = pointer::resolve(member, root);
        let values = resolved.get("enum").and_then(Value::as_array);
        resolved.get("type").is_none_or(|t| t.as_str() == Some("string"))
            && values.is_some_and(|v| !v.is_empty() && v.iter().all(Value::is_string))
    };
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = object.get(key) else { continue };
        let (plain, enums): (Vec<&Value>, Vec<&Value>) = members.iter().partition(|m| plain_string(m));
        let [known] = enums.as_slice() else { continue };
        if plain.is_empty()
            || !string_enum(known)
            || object.contains_key("type") && declared_type(object) != Some("string")
        {
            continue;
        }
        let known = (*known).clone();
        let before = object.remove(key);
        if known.get("$ref").is_some() {
            // typify reads a `$ref` with documentation beside it, not with a type.
            object.remove("type");
        }
        match known {
            Value::Object(known) => {
                for (name, value) in known {
                    object.entry(name).or_insert(value);
                }
            }
            _ => continue,
        }
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, key))
                .values(before, None)
                .note("known values or any string: the enum, whose `Unknown` variant keeps any other string"),
        );
    }
}

fn drop_enum_beside_alternatives(object: &mut Map<String, Value>, root: &Value, at: &str, changes: &mut Vec<Change>) {
    if !object.contains_key("enum") {
        return;
    }
    let outer = object.get("type").and_then(Value::as_str).map(str::to_string);
    let other_types =
        ["anyOf", "oneOf"].iter().filter_map(|k| object.get(*k).and_then(Value::as_array)).flatten().any(|m| {
            let member = pointer::resolve(m, root).get("type").and_then(Value::as_str);
            member.is_some() && member != outer.as_deref()
        });
    if other_types {
        let before = serde_json::json!({ "enum": object.remove("enum"), "type": object.remove("type") });
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, "enum"))
                .values(Some(before), None)
                .note("an enum beside alternatives of other types: the alternatives say what is allowed"),
        );
    }
}

fn disjoint_any_of_as_one_of(object: &mut Map<String, Value>, root: &Value, at: &str, changes: &mut Vec<Change>) {
    if object.contains_key("oneOf") {
        return;
    }
    let Some(Value::Array(members)) = object.get("anyOf") else { return };
    let types: Vec<Option<Vec<&str>>> = members.iter().map(|m| member_types(m, root, 0)).collect();
    if members.len() < 2 || types.iter().any(Option::is_none) {
        return;
    }
    let all: Vec<&str> = types.iter().flatten().flatten().copied().collect();
    let distinct: HashSet<&str> = all.iter().copied().collect();
    // "integer" is a "number" too: only types that exclude each other make the members disjoint.
    let overlapping = distinct.contains("integer") && distinct.contains("number");
    let disjoint = distinct.len() == all.len() && !overlapping;
    // typify's `anyOf` is a struct of flattened optional parts: only objects can be parts of
    // it, so a string or a number decodes into none (a map of "string, integer or date").
    let scalar_member = distinct.iter().any(|t| *t != "object");
    let note = match (disjoint, scalar_member) {
        (true, _) => "alternatives of different JSON types: at most one matches, so anyOf is oneOf",
        (false, true) => "alternatives that are not all objects: a value is read as the first that fits (oneOf)",
        (false, false) => return,
    };
    if let Some(members) = object.remove("anyOf") {
        object.insert("oneOf".into(), members);
        changes.push(Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, "anyOf")).note(note));
    }
}

/// The JSON types a value of an `anyOf` member may have: its `type`; `object` for a member that
/// lists properties without one; for a member that is itself a composition (a date as a string
/// or a timestamp), the types of its alternatives. `None` when a member could be anything.
fn member_types<'a>(member: &'a Value, root: &'a Value, depth: usize) -> Option<Vec<&'a str>> {
    let member = pointer::resolve(member, root);
    if let Some(name) = member.get("type").and_then(Value::as_str) {
        return Some(vec![name]);
    }
    if member.get("properties").is_some() {
        return Some(vec!["object"]);
    }
    let alternatives = ["oneOf", "anyOf"].iter().find_map(|k| member.get(*k).and_then(Value::as_array))?;
    if depth > 4 || alternatives.is_empty() {
        return None;
    }
    let mut types = Vec::new();
    for alternative in alternatives {
        for name in member_types(alternative, root, depth + 1)? {
            if !types.contains(&name) {
                types.push(name);
            }
        }
    }
    Some(types)
}

fn separate_any_of_and_one_of(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let (Some(any_of), Some(one_of)) = (object.get("anyOf"), object.get("oneOf")) else { return };
    let note = if any_of == one_of {
        object.remove("oneOf");
        "the same alternatives under anyOf and oneOf: oneOf dropped"
    } else {
        let any_of = object.remove("anyOf").unwrap_or_default();
        let one_of = object.remove("oneOf").unwrap_or_default();
        let mut members = vec![serde_json::json!({ "anyOf": any_of }), serde_json::json!({ "oneOf": one_of })];
        if let Some(Value::Array(all_of)) = object.remove("allOf") {
            members.extend(all_of);
        }
        object.insert("allOf".into(), Value::Array(members));
        "anyOf and oneOf in one schema: each made a member of an allOf"
    };
    changes.push(Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, "oneOf")).note(note));
}

/// Whether the schema at `at` is a component itself (named by its key, not its title).
fn is_component_schema(at: &str) -> bool {
    at.strip_prefix("/components/schemas/").is_some_and(|name| !name.contains('/'))
}

/// For each typify name an inline title gives, the distinct schemas carrying it.
#[derive(Default)]
struct InlineTitles {
    shapes: std::collections::BTreeMap<String, HashSet<String>>,
}

impl Visitor for InlineTitles {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if kind != Kind::Schema || is_component_schema(at) {
            return;
        }
        if let Some(title) = object.get("title").and_then(Value::as_str) {
            let mut shape = object.clone();
            shape.remove("description");
            self.shapes.entry(typify_pascal(title)).or_default().insert(Value::Object(shape).to_string());
        }
    }
}

struct DropTitles<'a> {
    ambiguous: HashSet<String>,
    changes: &'a mut Vec<Change>,
}

impl Visitor for DropTitles<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if kind != Kind::Schema || is_component_schema(at) {
            return;
        }
        let Some(title) = object.get("title").and_then(Value::as_str) else { return };
        if self.ambiguous.contains(&typify_pascal(title)) {
            let before = object.remove("title");
            self.changes.push(
                Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, "title"))
                    .values(before, None)
                    .note("other schemas carry the same title; typify would give them one type name"),
            );
        }
    }
}

fn declared_type(object: &Map<String, Value>) -> Option<&str> {
    object.get("type").and_then(Value::as_str)
}

fn drop_inapplicable_format(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    if !object.contains_key("format") || matches!(declared_type(object), Some("string" | "number" | "integer")) {
        return;
    }
    let before = object.remove("format");
    let note = match declared_type(object) {
        Some(kind) => format!("OpenAPI defines no formats for {kind}s, and typify refuses one"),
        None => "a format without a type; typify refuses it".to_string(),
    };
    changes.push(
        Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, "format")).values(before, None).note(note),
    );
}

fn drop_invalid_default(object: &mut Map<String, Value>, root: &Value, at: &str, changes: &mut Vec<Change>) {
    let Some(default) = object.get("default") else { return };
    // A default beside `allOf: [{$ref}]` (a common way to document a referenced enum) must also
    // be a value of each referenced schema.
    let members = object.get("allOf").and_then(Value::as_array).into_iter().flatten();
    let why = default_violation(object, default).or_else(|| {
        members
            .map(|member| crate::model::pointer::resolve(member, root))
            .filter_map(Value::as_object)
            .find_map(|member| default_violation(member, default))
    });
    let Some(why) = why else { return };
    let before = object.remove("default");
    changes.push(
        Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, "default")).values(before, None).note(why),
    );
}

/// Why `default` contradicts the schema it sits on, if it does. Only what the schema states
/// locally is checked: type, enum and numeric bounds.
fn default_violation(object: &Map<String, Value>, default: &Value) -> Option<String> {
    if default.is_null() {
        return None;
    }
    if object.contains_key("anyOf") && !default.is_object() {
        return Some(format!(
            "typify models `anyOf` as an object of optional parts, which the default {default} cannot be"
        ));
    }
    let fits_type = match declared_type(object) {
        Some("integer") => default.is_i64() || default.is_u64(),
        Some("number") => default.is_number(),
        Some("string") => default.is_string(),
        Some("boolean") => default.is_boolean(),
        Some("array") => default.is_array(),
        Some("object") => default.is_object(),
        _ => true,
    };
    if !fits_type {
        return Some(format!("the default {default} is not of the schema's type"));
    }
    if let Some(Value::Array(values)) = object.get("enum") {
        if !values.contains(default) {
            return Some(format!("the default {default} is not one of the enum values"));
        }
    }
    if let (Value::Array(elements), Some(Value::Object(items))) = (default, object.get("items")) {
        if let Some(why) = elements.iter().find_map(|element| default_violation(items, element)) {
            return Some(format!("an element of the default {default}: {why}"));
        }
    }
    if let Some(number) = default.as_f64() {
        let bound = |key: &str| object.get(key).and_then(Value::as_f64);
        let exclusive = |key: &str| object.get(key) == Some(&Value::Bool(true));
        if let Some(min) = bound("minimum") {
            if number < min || (exclusive("exclusiveMinimum") && number == min) {
                return Some(format!("the default {default} is below the minimum {min}"));
            }
        }
        if let Some(max) = bound("maximum") {
            if number > max || (exclusive("exclusiveMaximum") && number == max) {
                return Some(format!("the default {default} is above the maximum {max}"));
            }
        }
        if declared_type(object) == Some("integer") {
            if let Some((low, high)) = integer_format_range(object.get("format").and_then(Value::as_str)) {
                if number < low || number > high {
                    return Some(format!("the default {default} does not fit the schema's format"));
                }
            }
        }
    }
    None
}

fn integer_format_range(format: Option<&str>) -> Option<(f64, f64)> {
    Some(match format? {
        "int8" => (i8::MIN as f64, i8::MAX as f64),
        "uint8" => (0.0, u8::MAX as f64),
        "int16" => (i16::MIN as f64, i16::MAX as f64),
        "uint16" => (0.0, u16::MAX as f64),
        "int32" => (i32::MIN as f64, i32::MAX as f64),
        "uint32" => (0.0, u32::MAX as f64),
        "int64" => (i64::MIN as f64, i64::MAX as f64),
        "uint64" => (0.0, u64::MAX as f64),
        _ => return None,
    })
}

fn fit_enum_variant_names(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(Value::Array(values)) = object.get("enum") else { return };
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    if strings.len() != values.iter().filter(|v| !v.is_null()).count() || variant_names_unique(&strings) {
        return;
    }
    let mut seen = HashSet::new();
    let deduplicated: Vec<Value> = values.iter().filter(|v| seen.insert(v.to_string())).cloned().collect();
    let here = pointer::child(at, "enum");
    if deduplicated.len() < values.len() {
        let before = object.insert("enum".into(), Value::Array(deduplicated.clone()));
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaFitted, here.clone())
                .values(before, Some(Value::Array(deduplicated.clone())))
                .note("repeated enum values removed"),
        );
        let strings: Vec<&str> = deduplicated.iter().filter_map(Value::as_str).collect();
        if variant_names_unique(&strings) {
            return;
        }
    }
    let before = object.remove("enum");
    changes.push(Change::new(Stage::Lower, Rule::SchemaFitted, here).values(before, None).note(
        "the values cannot be told apart as Rust variant names (they differ only in case or punctuation); \
         the field is a plain string",
    ));
}

/// Whether typify can name a variant for each value: its own two attempts (plain sanitizing,
/// then punctuation spelled as `X`) reproduced, because a collision makes it panic.
fn variant_names_unique(values: &[&str]) -> bool {
    let unique = |names: Vec<String>| {
        let mut seen = HashSet::new();
        names.into_iter().all(|n| seen.insert(n))
    };
    unique(values.iter().map(|v| typify_pascal(v)).collect())
        || unique(
            values
                .iter()
                .map(|v| typify_pascal(&v.replace(|c| c == '_' || !unicode_ident::is_xid_continue(c), "X")))
                .collect(),
        )
}

/// typify 0.8's name for a variant or titled type.
fn typify_pascal(input: &str) -> String {
    crate::model::naming::generator_name(input, true)
}

/// A component that is `nullable` and composed (`{oneOf: […], nullable: true}`) makes typify emit two types of the component's name, a newtype
/// `X(Option<X>)` and the inner type, and the client does not compile. With the composition
/// in a component of its own (`XValue`) and `X` a nullable reference to it, typify emits
/// `X(Option<XValue>)`.
pub fn lift_nullable_compositions(document: &mut Value, changes: &mut Vec<Change>) {
    drop_nullable_component_titles(document, changes);
    let Some(Value::Object(schemas)) = document.pointer("/components/schemas") else { return };
    // `{allOf: [{$ref}], nullable: true}` is the one composition typify names apart.
    let lone_reference = |schema: &Value| {
        schema.get("oneOf").is_none()
            && schema.get("anyOf").is_none()
            && schema.get("allOf").and_then(Value::as_array).is_some_and(|m| m.len() == 1 && m[0].get("$ref").is_some())
    };
    let composed = |schema: &Value| ["allOf", "oneOf", "anyOf"].iter().any(|k| schema.get(*k).is_some());
    let candidates: Vec<String> = schemas
        .iter()
        .filter(|(_, s)| s.get("nullable") == Some(&Value::Bool(true)) && composed(s) && !lone_reference(s))
        .map(|(name, _)| name.clone())
        .collect();
    for name in candidates {
        let value_name = super::unique_schema_name(document, &format!("{name}Value"));
        let schemas = super::schemas_mut(document);
        let Some(Value::Object(mut inner)) = schemas.remove(&name) else { continue };
        inner.remove("nullable");
        let mut outer = Map::new();
        if let Some(description) = inner.get("description") {
            outer.insert("description".into(), description.clone());
        }
        let reference = serde_json::json!({ "$ref": pointer::component_ref_to("schemas", &value_name) });
        outer.insert("allOf".into(), Value::Array(vec![reference.clone()]));
        outer.insert("nullable".into(), Value::Bool(true));
        schemas.insert(value_name.clone(), Value::Object(inner));
        schemas.insert(name.clone(), Value::Object(outer));
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaLifted, pointer::child("/components/schemas", &name))
                .values(None, Some(reference))
                .note(format!(
                    "a nullable composition of inline schemas; typify would name the composition and its Option wrapper both {name}"
                )),
        );
    }
}

/// typify names the inner type of a nullable component after its `title`, so a title that
/// spells a component's name (`pull-request-stack` titled "Pull Request Stack") gives the
/// wrapper and the inner type one name. Such titles are dropped.
fn drop_nullable_component_titles(document: &mut Value, changes: &mut Vec<Change>) {
    let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") else { return };
    let names: HashSet<String> = schemas.keys().map(|n| typify_pascal(n)).collect();
    for (name, schema) in schemas.iter_mut() {
        let Some(schema) = schema.as_object_mut() else { continue };
        let spelled = schema.get("title").and_then(Value::as_str).is_some_and(|t| names.contains(&typify_pascal(t)));
        if spelled && schema.get("nullable") == Some(&Value::Bool(true)) {
            let before = schema.remove("title");
            changes.push(
                Change::new(
                    Stage::Lower,
                    Rule::SchemaFitted,
                    pointer::child(&pointer::child("/components/schemas", name), "title"),
                )
                .values(before, None)
                .note("the title of a nullable component would name its inner type like the component itself"),
            );
        }
    }
}

/// An inline schema typify gives a name of its own (not a reference, map or scalar).
pub(super) fn names_a_type(schema: &Value) -> bool {
    // A string with a pattern or length limits is a newtype that checks them.
    let constrained_string = schema.get("type").and_then(Value::as_str) == Some("string")
        && ["pattern", "minLength", "maxLength"].iter().any(|k| schema.get(*k).is_some());
    schema.get("$ref").is_none()
        && (schema.get("enum").is_some()
            || schema.get("properties").is_some()
            || constrained_string
            || ["allOf", "oneOf", "anyOf"].iter().any(|k| schema.get(*k).is_some()))
}

/// Moves the schema at `at` into `components/schemas` under `name`, a reference in its place.
fn lift(document: &mut Value, at: &str, name: &str) -> Option<Value> {
    let reference = serde_json::json!({ "$ref": pointer::component_ref_to("schemas", name) });
    let slot = document.pointer_mut(at)?;
    let inner = std::mem::replace(slot, reference.clone());
    super::schemas_mut(document).insert(name.to_string(), inner);
    Some(reference)
}

/// A free schema name for a schema typify would name `derived`, a name already taken: always
/// numbered, free as a key and as the type name typify derives from it.
fn free_name(document: &Value, derived: &str, taken: &HashSet<String>) -> String {
    crate::model::naming::first_free(derived, "", |n| {
        n == derived || taken.contains(n) || document.pointer(&pointer::child("/components/schemas", n)).is_some()
    })
}

/// progenitor names an operation's inline JSON request body `{operationId}Body` and its inline
/// JSON response `{operationId}Response` without checking that the name is free: when a
/// component already has it, typify hands back that component's type and the operation sends
/// or decodes the wrong shape (a response envelope read as the component inside it). Such an
/// inline schema is lifted into a component of its own under a free name.
pub fn lift_colliding_operation_schemas(document: &mut Value, changes: &mut Vec<Change>) {
    let Some(Value::Object(schemas)) = document.pointer("/components/schemas") else { return };
    let mut taken: HashSet<String> = schemas.keys().map(|n| typify_pascal(n)).collect();
    let json_like = |media: &str| media.contains("json") || media == "application/x-www-form-urlencoded";
    let mut lifts: Vec<(String, String)> = Vec::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            let at = pointer::child(&pointer::child("/paths", path), method);
            let body = operation.get("requestBody").map(|b| ("requestBody".to_string(), b, "body"));
            let responses = operation.get("responses").and_then(Value::as_object).into_iter().flatten();
            let responses =
                responses.map(|(status, r)| (format!("responses/{}", pointer::escape(status)), r, "response"));
            for (place, holder, suffix) in body.into_iter().chain(responses) {
                let derived = typify_pascal(&format!("{id}-{suffix}"));
                if !taken.contains(&derived) || holder.get("$ref").is_some() {
                    continue;
                }
                for (media, content) in holder.get("content").and_then(Value::as_object).into_iter().flatten() {
                    if json_like(media) && content.get("schema").is_some_and(names_a_type) {
                        let schema_at = format!("{at}/{place}/content/{}/schema", pointer::escape(media));
                        lifts.push((schema_at, derived.clone()));
                    }
                }
            }
        }
    }
    // progenitor gives every response of an operation the same name, so equal schemas (error
    // bodies that differ only in their examples) were one type: they stay one, lifted once.
    let mut lifted: Vec<(String, Value, String)> = Vec::new();
    for (at, derived) in lifts {
        let Some(schema) = document.pointer(&at).cloned() else { continue };
        let same = lifted.iter().find(|(d, s, _)| *d == derived && *s == schema).map(|(_, _, name)| name.clone());
        let reference = match same {
            Some(name) => {
                let reference = serde_json::json!({ "$ref": pointer::component_ref_to("schemas", &name) });
                if let Some(slot) = document.pointer_mut(&at) {
                    *slot = reference.clone();
                }
                reference
            }
            None => {
                let name = free_name(document, &derived, &taken);
                taken.insert(name.clone());
                lifted.push((derived.clone(), schema, name.clone()));
                let Some(reference) = lift(document, &at, &name) else { continue };
                reference
            }
        };
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaLifted, at)
                .values(None, Some(reference))
                .note(format!("progenitor would name it {derived}, which a component already is")),
        );
    }
}

/// typify names an inline property schema after its parent and the property
/// (`Certificate.type` → `CertificateType`) without checking that the name is free, so a
/// component already called `CertificateType` gives two types of one name. Such an inline
/// schema is lifted into a component of its own under a free name.
pub fn lift_colliding_inline_properties(document: &mut Value, changes: &mut Vec<Change>) {
    let Some(Value::Object(schemas)) = document.pointer("/components/schemas") else { return };
    let taken: HashSet<String> = schemas.keys().map(|n| typify_pascal(n)).collect();
    let mut lifts: Vec<(String, String, String)> = Vec::new();
    for (parent, schema) in schemas {
        for (property, inner) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            let derived = format!("{}{}", typify_pascal(parent), typify_pascal(property));
            // An array's inline item type is named `{Parent}{Property}Item`.
            let item = format!("{derived}Item");
            if names_a_type(inner) && taken.contains(&derived) {
                lifts.push((parent.clone(), property.clone(), derived));
            }
            if inner.get("items").is_some_and(names_a_type) && taken.contains(&item) {
                lifts.push((parent.clone(), format!("{property}/items"), item));
            }
        }
    }
    let mut taken = taken;
    for (parent, property, derived) in lifts {
        let name = free_name(document, &derived, &taken);
        taken.insert(name.clone());
        let (property, items) = match property.strip_suffix("/items") {
            Some(array) => (array.to_string(), true),
            None => (property, false),
        };
        let mut at =
            pointer::child(&pointer::child(&pointer::child("/components/schemas", &parent), "properties"), &property);
        if items {
            at.push_str("/items");
        }
        let Some(reference) = lift(document, &at, &name) else { continue };
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaLifted, at)
                .values(None, Some(reference))
                .note(format!("typify would name it {derived}, which a component already is")),
        );
    }
}
