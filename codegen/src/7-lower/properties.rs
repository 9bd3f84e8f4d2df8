//! Properties of one object whose Rust field names would be the same.
//!
//! `isGlobal` and `is_global` (or `IsGlobal`) in one schema are two JSON properties but one Rust
//! field name, `is_global`, and the struct does not compile. The later ones are renamed in the
//! spec handed to the generator to a free name (`is_global_2`, free in the whole document, so
//! it names nothing else), which gives them distinct fields, setters and builder slots; the
//! generated struct then gets each field's `#[serde(rename)]` back to its documented name
//! (the generate stage's `item_fixes`), so the wire is unchanged.
//!
//! The same way, a property named with a plural acronym (`clientURLs`, which snake case makes
//! `client_ur_ls`) is given the spelling that keeps the acronym whole (`clientUrls`, the field
//! `client_urls`) when that name is free in the document and in its object.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::model::naming::generator_name;
use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// Renames colliding properties of every object schema of `document`; returns each new
/// property name with the documented one it stands for.
pub fn separate_colliding(document: &mut Value, changes: &mut Vec<Change>) -> BTreeMap<String, String> {
    let mut names = Names::default();
    walk(&mut names, Kind::Document, document, "");
    let mut pass = Rename { taken: names.0, renamed: BTreeMap::new(), changes, fields: FieldNames::default() };
    walk(&mut pass, Kind::Document, document, "");
    let Rename { taken, renamed, changes, fields } = pass;
    let mut acronyms = Acronyms { taken, renamed, changes, fields };
    walk(&mut acronyms, Kind::Document, document, "");
    acronyms.renamed
}

/// The Rust field name of each property name, worked out once: a large API names its few
/// thousand distinct properties a hundred thousand times (GitHub's `id`, `url`, `name`).
#[derive(Default)]
struct FieldNames(HashMap<String, String>);

impl FieldNames {
    fn of(&mut self, key: &str) -> String {
        if let Some(field) = self.0.get(key) {
            return field.clone();
        }
        let field = generator_name(key, false);
        self.0.insert(key.to_string(), field.clone());
        field
    }
}

/// Renames properties named with plural acronyms to the spelling that keeps them one word.
struct Acronyms<'a> {
    taken: BTreeSet<String>,
    renamed: BTreeMap<String, String>,
    changes: &'a mut Vec<Change>,
    fields: FieldNames,
}

impl Visitor for Acronyms<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if kind != Kind::Schema {
            return;
        }
        let Some(Value::Object(properties)) = object.get("properties") else { return };
        // The object's field names, read only for an object that has a plural acronym.
        let mut fields: Option<BTreeSet<String>> = None;
        let mut renames: Vec<(String, String)> = Vec::new();
        for key in properties.keys() {
            let new = crate::model::naming::acronym_aware(key);
            // A name some property has elsewhere would be renamed back there too.
            if new == *key || self.taken.contains(&new) {
                continue;
            }
            let fields = fields.get_or_insert_with(|| properties.keys().map(|k| self.fields.of(k)).collect());
            if fields.contains(&self.fields.of(&new)) {
                continue;
            }
            self.taken.insert(new.clone());
            renames.push((key.clone(), new));
        }
        let note = "a plural acronym kept one word in the Rust field name; still sent and read as documented";
        apply_renames(object, at, renames, note, self.changes, &mut self.renamed);
    }
}

/// Renames the properties of the object schema `object` (and its `required` list) as `renames`
/// says, keeping their order.
fn rename_properties(object: &mut Map<String, Value>, renames: &[(String, String)]) {
    let Some(Value::Object(properties)) = object.remove("properties") else { return };
    let renamed: Map<String, Value> = properties
        .into_iter()
        .map(|(key, value)| match renames.iter().find(|(old, _)| *old == key) {
            Some((_, new)) => (new.clone(), value),
            None => (key, value),
        })
        .collect();
    object.insert("properties".into(), Value::Object(renamed));
    if let Some(Value::Array(required)) = object.get_mut("required") {
        for name in required.iter_mut() {
            if let Some((_, new)) = renames.iter().find(|(old, _)| Some(old.as_str()) == name.as_str()) {
                *name = Value::String(new.clone());
            }
        }
    }
}

/// Every property name of the document.
#[derive(Default)]
struct Names(BTreeSet<String>);

impl Visitor for Names {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, _: &str) {
        if let (Kind::Schema, Some(Value::Object(properties))) = (kind, object.get("properties")) {
            self.0.extend(properties.keys().cloned());
        }
    }
}

struct Rename<'a> {
    taken: BTreeSet<String>,
    renamed: BTreeMap<String, String>,
    changes: &'a mut Vec<Change>,
    fields: FieldNames,
}

impl Visitor for Rename<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if kind != Kind::Schema {
            return;
        }
        let Some(Value::Object(properties)) = object.get("properties") else { return };
        let mut fields: BTreeSet<String> = BTreeSet::new();
        let mut renames: Vec<(String, String)> = Vec::new();
        for key in properties.keys() {
            let field = self.fields.of(key);
            if fields.insert(field.clone()) {
                continue;
            }
            // `field` itself is taken: it is why this property is renamed.
            let new = crate::model::naming::first_free(&field, "_", |candidate| {
                candidate == field
                    || self.taken.contains(candidate)
                    || fields.contains(&generator_name(candidate, false))
            });
            self.taken.insert(new.clone());
            fields.insert(generator_name(&new, false));
            renames.push((key.clone(), new));
        }
        let note = "another property of the object has the same Rust field name; still sent and read as documented";
        apply_renames(object, at, renames, note, self.changes, &mut self.renamed);
    }
}

/// Renames the properties of the object schema at `at` as `renames` says, records each with
/// `note`, and remembers each new name's documented one in `renamed`.
fn apply_renames(
    object: &mut Map<String, Value>,
    at: &str,
    renames: Vec<(String, String)>,
    note: &str,
    changes: &mut Vec<Change>,
    renamed: &mut BTreeMap<String, String>,
) {
    if renames.is_empty() {
        return;
    }
    rename_properties(object, &renames);
    for (old, new) in renames {
        changes.push(
            Change::new(Stage::Lower, Rule::PropertyRenamed, pointer::child(&pointer::child(at, "properties"), &old))
                .values(Some(Value::String(old.clone())), Some(Value::String(new.clone())))
                .note(note),
        );
        renamed.insert(new, old);
    }
}
