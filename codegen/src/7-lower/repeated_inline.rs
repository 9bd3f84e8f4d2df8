//! Inline schemas that repeat, written once: the first becomes a component and each copy a
//! reference to it, so the type generator converts and emits it once.
//!
//! Webhook payloads repeat the same inline objects and enums (a repository, a user, an issue's
//! state) hundreds of times: on GitHub's spec typify made 4,625 payload types, of which the
//! layout's merge ([`crate::generate::layout::same_types`]) then found 3,493 to be copies,
//! after each had been generated, cut into items and compared (8.1 MB of code, 2.4 MB kept).
//! This rule finds the copies in the document instead, before any code exists: typify now
//! makes 1,837 payload types (3.9 MB), and the merge finds the 705 copies left (those that
//! differ only in which identical types they name, or sit where this rule does not look).
//!
//! No name is lost: every type typify would have made for a copy (the copy and each type
//! inside it) is returned as a [`SharedName`], an alias of the type that stays, with the doc
//! comment typify would have written for it. A copy keeps its own description as its field's
//! doc comment (`allOf: [{$ref}]` beside it, which typify reads as the referenced type), and
//! its own `nullable` (the component is the schema without it).
//!
//! Only what is foreseeable is shared: objects with properties and string enums, found as a
//! property or an array property's items, whose own schema and every schema inside them has no
//! `allOf`/`oneOf`/`anyOf`/`not`, no `title` and no inline map values, so that typify's name
//! for each type inside is known (`{Parent}{Property}`, `{Parent}{Property}Item`). A name two
//! different schemas would get, or one a component already has, leaves its schemas as they are.
//!
//! It rewrites the document the `webhooks` module's types are made from
//! ([`super::webhooks::WebhookGroup::sharing_repeated_schemas`]), not the spec, so the quirk
//! report has nothing to say. The clients' documents keep their inline schemas: theirs sit in
//! operations, and the fixes that treat a type by its name (secrets, three-state fields) are
//! decided from the document before the merge compares the code.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use heck::ToSnakeCase;
use serde_json::{Map, Value};

use super::schemas::names_a_type;
use crate::model::naming::generator_name;
use crate::model::pointer;

/// A type name typify would have given a copy (or a type inside one), kept as an alias.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedName {
    /// The alias's name.
    pub name: String,
    /// The type it names (itself possibly another alias).
    pub target: String,
    /// Its doc comment: the copy's description, else its name in backticks, as typify writes.
    pub doc: String,
}

/// One inline schema typify names, found while walking the components.
struct Candidate<'a> {
    /// Its JSON pointer.
    at: String,
    /// typify's name for it.
    name: String,
    schema: &'a Value,
    /// A digest of the schema without what stays where it is written (its description and
    /// `nullable`); `None` when it is not shared.
    key: Option<u64>,
}

/// Writes each repeated inline schema of `document`'s components once (see the module's doc)
/// and returns the names its copies had.
pub fn share(document: &mut Value) -> Vec<SharedName> {
    let Some(Value::Object(schemas)) = document.pointer("/components/schemas") else { return Vec::new() };
    let mut candidates = Vec::new();
    let embedded = embedded_components(schemas);
    for (name, schema) in schemas {
        if schema.get("properties").is_none() || composed(schema) || embedded.contains(name) {
            continue;
        }
        // typify names a nullable component's type `{Name}Inner` (the component is a newtype of
        // its `Option`), or after its title when it has one, which another schema may share:
        // what is inside such a one is left as it is.
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        let parent = match (nullable, schema.get("title")) {
            (false, _) => generator_name(name, true),
            (true, None) => generator_name(&format!("{name}Inner"), true),
            (true, Some(_)) => continue,
        };
        read(schema, &pointer::child("/components/schemas", name), Naming::Type(parent), &mut candidates);
    }
    let taken: HashSet<String> =
        schemas.keys().map(|n| generator_name(n, true)).chain(schemas.keys().cloned()).collect();
    let unsafe_names = names_of_several_schemas(&candidates);
    let may_stay = |c: &Candidate<'_>| {
        !unsafe_names.contains(&c.name) && !taken.contains(&c.name) && generator_name(&c.name, true) == c.name
    };

    // In document order: the first of each schema stays (and is read further), each later copy
    // is replaced, and what is inside a copy goes with it.
    let mut first: HashMap<u64, usize> = HashMap::new();
    let mut copies: Vec<(usize, usize)> = Vec::new();
    let mut inside: Option<&str> = None;
    for (i, candidate) in candidates.iter().enumerate() {
        if inside.is_some_and(|copy| is_within(&candidate.at, copy)) {
            continue;
        }
        inside = None;
        let Some(key) = candidate.key else { continue };
        match first.get(&key) {
            Some(&kept) if same_schema(candidates[kept].schema, candidate.schema) => {
                copies.push((i, kept));
                inside = Some(&candidate.at);
            }
            Some(_) => {}
            None if may_stay(candidate) => {
                first.insert(key, i);
            }
            None => {}
        }
    }
    if copies.is_empty() {
        return Vec::new();
    }

    let mut shared = Vec::new();
    for &(copy, kept) in &copies {
        let (schema, name, target) = (candidates[copy].schema, &candidates[copy].name, &candidates[kept].name);
        shared.push(SharedName { name: name.clone(), target: target.clone(), doc: doc_of(schema, name) });
        inner_names(schema, name, target, &mut shared);
    }
    // What is rewritten, in document order: each copy (a reference to the schema it copies) and
    // each schema that has copies (moved into a component, a reference in its place).
    let kept_with_copies: HashSet<usize> = copies.iter().map(|&(_, kept)| kept).collect();
    let replaced: HashMap<usize, usize> = copies.iter().copied().collect();
    let rewrites: Vec<(String, String, bool)> = (0..candidates.len())
        .filter_map(|i| match replaced.get(&i) {
            Some(&kept) => Some((candidates[i].at.clone(), candidates[kept].name.clone(), true)),
            None if kept_with_copies.contains(&i) => {
                Some((candidates[i].at.clone(), candidates[i].name.clone(), false))
            }
            None => None,
        })
        .collect();

    // Deepest first, so that every pointer still finds what it names.
    for (at, component, copy) in rewrites.into_iter().rev() {
        let Some(slot) = document.pointer_mut(&at) else { continue };
        let schema = std::mem::take(slot);
        *slot = reference_in_place_of(&schema, &component);
        if !copy {
            let mut definition = schema;
            if let Value::Object(fields) = &mut definition {
                fields.remove("nullable");
            }
            super::schemas_mut(document).insert(component, definition);
        }
    }
    shared
}

/// How typify names the schema being read.
enum Naming<'p> {
    /// It has no name, nor has anything inside it that [`read`] looks for.
    Unnamed,
    /// A component's type, named so.
    Type(String),
    /// The schema of the property of the type `parent`: typify suggests `{parent}_{property}`
    /// as its name (or its items' name, then `…Item`), were it a type.
    Property { parent: &'p str, property: &'p str },
    /// An array property's items, which typify names from this suggestion.
    Items(String),
}

impl Naming<'_> {
    /// typify's suggestion for a type made here (made only when asked: most properties are
    /// no type, and recasing each name was most of reading GitHub's payloads).
    fn suggestion(self) -> Option<String> {
        match self {
            Naming::Property { parent, property } => Some(format!("{parent}_{}", property.to_snake_case())),
            Naming::Items(raw) => Some(raw),
            Naming::Unnamed | Naming::Type(_) => None,
        }
    }
}

/// What reading a schema found.
struct Read {
    /// A digest of the schema's JSON, members in order.
    digest: u64,
    /// Whether every type typify makes for it and inside it is named as [`Naming`] says: no
    /// compositions, titles, tuple items or inline map values anywhere inside.
    foreseeable: bool,
}

/// Reads `schema` (at `at`) once, from its leaves up: its digest, and the candidates inside it
/// in document order, each with its key.
fn read<'a>(schema: &'a Value, at: &str, naming: Naming<'_>, out: &mut Vec<Candidate<'a>>) -> Read {
    let Value::Object(fields) = schema else { return Read { digest: digest_of(schema), foreseeable: true } };
    if fields.contains_key("$ref") {
        return Read { digest: digest_of(schema), foreseeable: true };
    }
    let array = fields.get("items").is_some_and(Value::is_object);
    let titled = fields.contains_key("title");
    let (mut items_naming, name, candidate) = match naming {
        Naming::Type(name) => (None, Some(name), None),
        Naming::Unnamed => (None, None, None),
        // An array property: typify names its items `{suggestion}Item`, not the array.
        position if array => (position.suggestion().map(|raw| Naming::Items(format!("{raw}Item"))), None, None),
        position if names_a_type(schema) && !titled && !composed(schema) => {
            let name = generator_name(&position.suggestion().unwrap_or_default(), true);
            out.push(Candidate { at: at.to_string(), name: name.clone(), schema, key: None });
            (None, Some(name), Some(out.len() - 1))
        }
        _ => (None, None, None),
    };
    let mut foreseeable = !composed(schema) && !titled && !fields.contains_key("patternProperties");
    let (mut whole, mut key) = (DefaultHasher::new(), DefaultHasher::new());
    for (field, value) in fields {
        let digest = match (field.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                let mut hasher = DefaultHasher::new();
                for (property, inner) in properties {
                    let naming = match &name {
                        Some(parent) => Naming::Property { parent, property },
                        None => Naming::Unnamed,
                    };
                    let at = pointer::child(&pointer::child(at, "properties"), property);
                    let read = read(inner, &at, naming, out);
                    foreseeable &= read.foreseeable;
                    (property, read.digest).hash(&mut hasher);
                }
                hasher.finish()
            }
            ("items", Value::Object(_)) => {
                let naming = items_naming.take().unwrap_or(Naming::Unnamed);
                let read = read(value, &format!("{at}/items"), naming, out);
                foreseeable &= read.foreseeable;
                read.digest
            }
            ("additionalProperties", Value::Object(_)) => {
                let read = read(value, &format!("{at}/additionalProperties"), Naming::Unnamed, out);
                let named_inline = value.get("$ref").is_none()
                    && (names_a_type(value) || value.get("items").is_some() || composed(value));
                foreseeable &= read.foreseeable && !named_inline;
                read.digest
            }
            ("properties" | "items", _) => {
                foreseeable = false;
                digest_of(value)
            }
            _ => digest_of(value),
        };
        (field, digest).hash(&mut whole);
        if field != "description" && field != "nullable" {
            (field, digest).hash(&mut key);
        }
    }
    if let Some(i) = candidate {
        out[i].key = (foreseeable && shareable(schema)).then(|| key.finish());
    }
    Read { digest: whole.finish(), foreseeable }
}

/// A digest of any JSON value, members in order.
fn digest_of(value: &Value) -> u64 {
    fn feed(value: &Value, hasher: &mut DefaultHasher) {
        match value {
            Value::Null => 0u8.hash(hasher),
            Value::Bool(b) => (1u8, b).hash(hasher),
            Value::Number(n) => (2u8, n).hash(hasher),
            Value::String(s) => (3u8, s).hash(hasher),
            Value::Array(values) => {
                (4u8, values.len()).hash(hasher);
                values.iter().for_each(|v| feed(v, hasher));
            }
            Value::Object(fields) => {
                (5u8, fields.len()).hash(hasher);
                for (field, v) in fields {
                    field.hash(hasher);
                    feed(v, hasher);
                }
            }
        }
    }
    let mut hasher = DefaultHasher::new();
    feed(value, &mut hasher);
    hasher.finish()
}

/// Whether two candidates are the same schema, their descriptions and `nullable` aside (what
/// equal keys say, checked).
fn same_schema(a: &Value, b: &Value) -> bool {
    fn kept(fields: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
        fields.iter().filter(|(field, _)| *field != "description" && *field != "nullable")
    }
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => kept(a).eq(kept(b)),
        _ => false,
    }
}

/// The components typify copies into other types: a member of an `allOf` of several is
/// merged into the type the `allOf` makes (its inline schemas named after that type), and so
/// is what such a member merges in turn. Sharing inside one would change those types' names.
fn embedded_components(schemas: &Map<String, Value>) -> HashSet<String> {
    /// The components `value` merges: the references among each `allOf` of several members.
    fn merged(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(fields) => {
                if let Some(Value::Array(all_of)) = fields.get("allOf") {
                    if all_of.len() > 1 {
                        let references = all_of.iter().filter_map(|m| m.get("$ref")?.as_str());
                        out.extend(references.filter_map(|r| Some(pointer::component_ref(r)?.1)));
                    }
                }
                fields.values().for_each(|v| merged(v, out));
            }
            Value::Array(values) => values.iter().for_each(|v| merged(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    schemas.values().for_each(|schema| merged(schema, &mut found));
    let mut embedded = HashSet::new();
    while let Some(name) = found.pop() {
        let Some(schema) = schemas.get(&name) else { continue };
        if embedded.insert(name) {
            // A member is read whole into the merge, its own `allOf`'s members too.
            merged(schema, &mut found);
            let members = schema.get("allOf").and_then(Value::as_array).into_iter().flatten();
            found.extend(members.filter_map(|m| Some(pointer::component_ref(m.get("$ref")?.as_str()?)?.1)));
        }
    }
    embedded
}

/// Whether `at` is a pointer inside the schema at `outer`.
fn is_within(at: &str, outer: &str) -> bool {
    at.strip_prefix(outer).is_some_and(|rest| rest.starts_with('/'))
}

fn composed(schema: &Value) -> bool {
    ["allOf", "oneOf", "anyOf", "not"].iter().any(|k| schema.get(*k).is_some())
}

/// Whether a candidate may be shared: an object with properties or an enum of strings, with
/// nothing that belongs to where it is written (a `default`, an extension).
fn shareable(schema: &Value) -> bool {
    let Value::Object(fields) = schema else { return false };
    if fields.contains_key("default") || fields.keys().any(|k| k.starts_with("x-")) {
        return false;
    }
    let object = fields.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
    let string_enum = fields.get("type").and_then(Value::as_str) == Some("string")
        && fields.get("enum").and_then(Value::as_array).is_some_and(|values| values.iter().all(Value::is_string));
    object || string_enum
}

/// Names that candidates of different schemas (or unshared ones) would all get: typify would
/// not give both that name, so neither is shared.
fn names_of_several_schemas(candidates: &[Candidate<'_>]) -> HashSet<String> {
    let mut keys: HashMap<&str, Option<u64>> = HashMap::new();
    let mut several = HashSet::new();
    for candidate in candidates {
        match keys.get(candidate.name.as_str()) {
            Some(seen) if *seen == candidate.key && seen.is_some() => {}
            Some(_) => {
                several.insert(candidate.name.clone());
            }
            None => {
                keys.insert(&candidate.name, candidate.key);
            }
        }
    }
    several
}

/// typify's doc comment for the type `name` made from `schema`.
fn doc_of(schema: &Value, name: &str) -> String {
    match schema.get("description").and_then(Value::as_str) {
        Some(description) => description.to_string(),
        None => format!("`{name}`"),
    }
}

/// The names of the types inside a copy (`name`) and those inside the schema it is a copy of
/// (`target`), pairwise: the two are the same schema, so their types are named alike.
fn inner_names(schema: &Value, name: &str, target: &str, out: &mut Vec<SharedName>) {
    let Some(Value::Object(properties)) = schema.get("properties") else { return };
    for (property, inner) in properties {
        // The property's schema or, for an array, its items (`…Item`): a type or nothing.
        let (mut schema, mut item) = (inner, String::new());
        while let Some(items) = schema.get("items").filter(|items| items.is_object()) {
            schema = items;
            item.push_str("Item");
        }
        if !names_a_type(schema) {
            continue;
        }
        let snake = property.to_snake_case();
        let name = generator_name(&format!("{name}_{snake}{item}"), true);
        let target = generator_name(&format!("{target}_{snake}{item}"), true);
        out.push(SharedName { name: name.clone(), target: target.clone(), doc: doc_of(schema, &name) });
        inner_names(schema, &name, &target, out);
    }
}

/// What a copy (or the first of its schema) becomes: a reference to `component`, keeping its
/// description (for its field's doc comment) and `nullable`.
fn reference_in_place_of(schema: &Value, component: &str) -> Value {
    let reference = Value::Object(Map::from_iter([(
        "$ref".to_string(),
        Value::String(pointer::component_ref_to("schemas", component)),
    )]));
    let description = schema.get("description").cloned();
    let nullable = schema.get("nullable").filter(|n| **n == Value::Bool(true)).cloned();
    if description.is_none() && nullable.is_none() {
        return reference;
    }
    let mut site = Map::new();
    site.insert("allOf".into(), Value::Array(vec![reference]));
    if let Some(nullable) = nullable {
        site.insert("nullable".into(), nullable);
    }
    if let Some(description) = description {
        site.insert("description".into(), description);
    }
    Value::Object(site)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A customer object with an enum inside, as payloads repeat it.
    fn customer() -> Value {
        json!({
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "tier": {"type": "string", "enum": ["free", "pro"]}}
        })
    }

    /// An object with nothing inside that typify names.
    fn plain() -> Value {
        json!({"type": "object", "properties": {"id": {"type": "string"}}})
    }

    fn with(schema: Value, fields: Value) -> Value {
        let mut schema = schema;
        schema.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        schema
    }

    fn document(schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "components": {"schemas": schemas}})
    }

    #[test]
    fn a_repeated_inline_schema_is_written_once_and_its_copies_names_are_kept() {
        let described = with(customer(), json!({"description": "Who asked.", "nullable": true}));
        let mut doc = document(json!({
            "Issued": {"type": "object", "properties": {"customer": customer()}},
            "Failed": {"type": "object", "properties": {"customer": described, "reason": {"type": "string"}}},
        }));
        let names = share(&mut doc);
        let schemas = &doc["components"]["schemas"];
        // The first keeps its name as a component; the copy is a reference that keeps its
        // description (its field's doc comment) and `nullable` where it was written.
        assert_eq!(schemas["IssuedCustomer"], customer());
        assert_eq!(schemas["Issued"]["properties"]["customer"], json!({"$ref": "#/components/schemas/IssuedCustomer"}));
        assert_eq!(
            schemas["Failed"]["properties"]["customer"],
            json!({"allOf": [{"$ref": "#/components/schemas/IssuedCustomer"}], "nullable": true, "description": "Who asked."})
        );
        let shared = |name: &str, target: &str, doc: &str| SharedName {
            name: name.into(),
            target: target.into(),
            doc: doc.into(),
        };
        assert_eq!(
            names,
            [
                shared("FailedCustomer", "IssuedCustomer", "Who asked."),
                shared("FailedCustomerTier", "IssuedCustomerTier", "`FailedCustomerTier`"),
            ]
        );
    }

    #[test]
    fn a_copy_inside_a_copy_goes_with_it_and_the_kept_one_shares_what_it_repeats() {
        // `Tier` repeats inside the first account as well as in both copies of the account.
        let tier = json!({"type": "string", "enum": ["free", "pro"]});
        let account = json!({"type": "object", "properties": {"plan": tier, "owner": customer()}});
        let mut doc = document(json!({
            "A": {"type": "object", "properties": {"tier": tier, "account": account}},
            "B": {"type": "object", "properties": {"account": account, "accounts": {"type": "array", "items": account}}},
        }));
        let names = share(&mut doc);
        let schemas = &doc["components"]["schemas"];
        let reference = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        assert_eq!(schemas["A"]["properties"]["tier"], reference("ATier"));
        assert_eq!(schemas["AAccount"]["properties"]["plan"], reference("ATier"), "the kept account's own copy");
        assert_eq!(schemas["B"]["properties"]["account"], reference("AAccount"));
        assert_eq!(schemas["B"]["properties"]["accounts"]["items"], reference("AAccount"));
        let pairs: Vec<(&str, &str)> = names.iter().map(|n| (n.name.as_str(), n.target.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("AAccountPlan", "ATier"),
                ("AAccountOwnerTier", "ATier"),
                ("BAccount", "AAccount"),
                ("BAccountPlan", "AAccountPlan"),
                ("BAccountOwner", "AAccountOwner"),
                ("BAccountOwnerTier", "AAccountOwnerTier"),
                ("BAccountsItem", "AAccount"),
                ("BAccountsItemPlan", "AAccountPlan"),
                ("BAccountsItemOwner", "AAccountOwner"),
                ("BAccountsItemOwnerTier", "AAccountOwnerTier"),
            ]
        );
    }

    #[test]
    fn what_typify_would_name_otherwise_is_left_as_written() {
        let schemas = json!({
            // A title names the type; a composition, a default or an extension belongs to its place.
            "Titled": {"type": "object", "properties": {"a": with(plain(), json!({"title": "Customer"}))}},
            "TitledToo": {"type": "object", "properties": {"a": with(plain(), json!({"title": "Customer"}))}},
            "Composed": {"type": "object", "properties": {"a": {"oneOf": [plain(), {"type": "string"}]}}},
            "ComposedToo": {"type": "object", "properties": {"a": {"oneOf": [plain(), {"type": "string"}]}}},
            "Defaulted": {"type": "object", "properties": {"a": with(plain(), json!({"default": {"id": "x"}}))}},
            "DefaultedToo": {"type": "object", "properties": {"a": with(plain(), json!({"default": {"id": "x"}}))}},
            // Inside, a map of inline objects is named `…Value` by rules not foreseen here.
            "Mapped": {"type": "object", "properties": {"m": {"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": plain()}}},
            "MappedToo": {"type": "object", "properties": {"m": {"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": plain()}}},
            // A member of an `allOf` of several is copied into the merged type, named after it.
            "Merged": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"z": {"type": "string"}}}]},
            "Base": {"type": "object", "properties": {"c": plain()}},
            "BaseToo": {"type": "object", "properties": {"c": plain()}},
        });
        let mut doc = document(schemas.clone());
        assert_eq!(share(&mut doc), []);
        assert_eq!(doc, document(schemas));
    }

    #[test]
    fn a_name_two_schemas_would_get_is_not_shared() {
        // typify would name `Foo`'s `bar_baz` and `FooBar`'s `baz` alike; `FooBarBaz` stays
        // inline rather than become a component that the other one's type would meet.
        let other = json!({"type": "object", "properties": {"q": {"type": "integer"}}});
        let schemas = json!({
            "Foo": {"type": "object", "properties": {"bar_baz": plain()}},
            "FooBar": {"type": "object", "properties": {"baz": other}},
            "Copy": {"type": "object", "properties": {"c": plain()}},
        });
        let mut doc = document(schemas.clone());
        let names = share(&mut doc);
        assert_eq!(doc["components"]["schemas"]["Foo"], schemas["Foo"]);
        // The copy then is the first of its schema to be shareable; nothing repeats it.
        assert_eq!(names, []);
    }

    #[test]
    fn a_nullable_components_inline_types_are_named_after_its_inner_type() {
        let mut doc = document(json!({
            "Maybe": {"type": "object", "nullable": true, "properties": {"c": customer()}},
            "Other": {"type": "object", "properties": {"c": customer()}},
        }));
        let names = share(&mut doc);
        assert!(doc["components"]["schemas"].get("MaybeInnerC").is_some(), "{doc:#}");
        assert_eq!(names.first().map(|n| (n.name.as_str(), n.target.as_str())), Some(("OtherC", "MaybeInnerC")));
    }
}
