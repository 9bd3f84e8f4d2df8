//! A reader that survives the vendor's next release: objects accept fields they do not document.
//!
//! typify turns `additionalProperties: false` into `#[serde(deny_unknown_fields)]`, so a field
//! the vendor adds to a response fails the whole call, even a POST that already created its
//! resource. The keyword only matters when a value is decoded: what the client sends is built
//! from the struct's own fields either way. It is dropped from every object that documents its
//! properties, except where it tells the variants of a `oneOf`/`anyOf` apart (an untagged enum
//! picks the first variant that decodes, and the closed ones decline what is not theirs).
//! An object without properties keeps it: there it means "an empty object", a type of its own,
//! unless it is a member of an `allOf`, where it would refuse what the other members add.
//!
//! The same goes the other way for what the client sends: a `default` on an optional property
//! says what the server assumes when the field is absent. typify turns it into a value the
//! client fills in and always sends, so a PATCH re-sends `"is_enabled": true` the caller never
//! set. The keyword is moved into the property's description, and the field is sent only when
//! set.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// Drops `additionalProperties: false` where it only makes decoding brittle.
pub fn open_closed_objects(document: &mut Value, changes: &mut Vec<Change>) {
    struct Open<'a> {
        /// Component schemas named directly as a variant of some `oneOf`/`anyOf`.
        variants: BTreeSet<String>,
        changes: &'a mut Vec<Change>,
    }
    impl Visitor for Open<'_> {
        fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
            let closed = object.get("additionalProperties") == Some(&Value::Bool(false));
            let documents_properties =
                object.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
            // A closed member of an `allOf` refuses the properties the other members add, so
            // typify's merge has no value at all (an enum without variants).
            let in_all_of = at.rsplit('/').nth(1) == Some("allOf");
            let opens = documents_properties || in_all_of;
            if kind != Kind::Schema || !closed || !opens || is_variant(at, &self.variants) {
                return;
            }
            let before = object.remove("additionalProperties");
            self.changes.push(
                Change::new(Stage::Lower, Rule::ClosedObjectOpened, format!("{at}/additionalProperties"))
                    .values(before, None)
                    .note("a field the vendor adds later is ignored when decoding instead of failing the call"),
            );
        }
    }
    let variants = variant_components(document);
    walk(&mut Open { variants, changes }, Kind::Document, document, "");
}

/// Moves `default` off every optional property into its description: see the module docs.
/// A required property keeps it (a value must be sent, and the documented one is the natural
/// start).
pub fn leave_defaults_to_the_server(document: &mut Value, changes: &mut Vec<Change>) {
    struct Leave<'a> {
        changes: &'a mut Vec<Change>,
    }
    impl Visitor for Leave<'_> {
        fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
            if kind != Kind::Schema {
                return;
            }
            let required: BTreeSet<String> = object
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            let Some(Value::Object(properties)) = object.get_mut("properties") else { return };
            for (name, property) in properties.iter_mut().filter(|(name, _)| !required.contains(*name)) {
                let Some(property) = property.as_object_mut() else { continue };
                let Some(default) = property.remove("default") else { continue };
                let said = format!("The server assumes `{default}` when it is not sent.");
                let description = match property.get("description").and_then(Value::as_str) {
                    Some(text) if text.to_lowercase().contains("default") => text.to_string(),
                    Some(text) if !text.trim().is_empty() => format!("{}\n\n{said}", text.trim_end()),
                    _ => said,
                };
                property.insert("description".into(), Value::String(description));
                let at = crate::model::pointer::child(&format!("{at}/properties"), name);
                self.changes.push(
                    Change::new(Stage::Lower, Rule::DefaultLeftToServer, format!("{at}/default"))
                        .values(Some(default), None)
                        .note("sent only when the caller sets it; the documented default is in the description"),
                );
            }
        }
    }
    walk(&mut Leave { changes }, Kind::Document, document, "");
}

/// Whether the schema at `at` is a variant of a composition: an inline `…/oneOf/N`, or a
/// component some composition names.
fn is_variant(at: &str, variants: &BTreeSet<String>) -> bool {
    let mut segments = at.rsplit('/');
    let (index, parent) = (segments.next(), segments.next());
    let inline = index.is_some_and(|i| i.parse::<usize>().is_ok()) && matches!(parent, Some("oneOf" | "anyOf"));
    inline || variants.contains(at)
}

/// The pointers of the component schemas named by a `$ref` directly inside a `oneOf`/`anyOf`.
fn variant_components(document: &Value) -> BTreeSet<String> {
    fn collect(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    if key == "oneOf" || key == "anyOf" {
                        let references = child.as_array().into_iter().flatten().filter_map(|v| v.get("$ref"));
                        out.extend(
                            references.filter_map(Value::as_str).filter_map(|r| r.strip_prefix('#')).map(str::to_owned),
                        );
                    }
                    collect(child, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    collect(document, &mut out);
    out
}
