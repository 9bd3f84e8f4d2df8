//! A reader that survives the vendor's next release: objects accept fields they do not document.
//!
//! typify turns `additionalProperties: false` into `#[serde(deny_unknown_fields)]`, so a field
//! the vendor adds to a response fails the whole call, even a POST that already created its
//! resource. The keyword only matters when a value is decoded: what the client sends is built
//! from the struct's own fields either way. It is dropped from every object that documents its
//! properties, except where it tells the variants of a `oneOf`/`anyOf` apart (an untagged enum
//! picks the first variant that decodes, and the closed ones decline what is not theirs).
//! An object without properties keeps it: there it means "an empty object", a type of its own.

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
            if kind != Kind::Schema || !closed || !documents_properties || is_variant(at, &self.variants) {
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
