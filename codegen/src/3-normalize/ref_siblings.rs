//! A schema `$ref` with sibling keywords, wrapped so the siblings keep their meaning.
//!
//! In OpenAPI 3.0 a `$ref`'s siblings are ignored; in 3.1 they apply together with the target.
//! Vendors write them in both: `{$ref: Owner, nullable: true}` means "an owner, or null", and a
//! reader that drops the sibling fails to decode the `null` the server sends. The 3.0 way to say
//! it is `{allOf: [{$ref: Owner}], nullable: true}`, which the generator turns into
//! `Option<Owner>` with no new type. In a 3.0 document only the siblings that change what is
//! accepted (`nullable`, `default`, a `required` list: `{$ref: Account, required: [name]}` is a
//! request body that must name the account, and a validating server refuses one without) are
//! kept this way; in a 3.1 document, where every sibling
//! counts, the descriptive ones are kept too, so a field's documentation survives.

use serde_json::{Map, Value};

use super::keywords::parse_bool;
use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

/// Siblings that change what a value may be.
const MEANINGFUL: [&str; 3] = ["nullable", "default", "required"];

/// Siblings that describe the value; kept in 3.1 documents, where they apply.
const DESCRIPTIVE: [&str; 5] = ["description", "readOnly", "writeOnly", "deprecated", "example"];

/// Wraps the `$ref` object `object` at `at` when it has siblings that must survive.
pub fn keep_ref_siblings(object: &mut Map<String, Value>, at: &str, openapi_31: bool, changes: &mut Vec<Change>) {
    // `nullable: false` (or "false") is the default: nothing to keep.
    if object
        .get("nullable")
        .is_some_and(|n| n == &Value::Bool(false) || n.as_str().and_then(parse_bool) == Some(false))
    {
        let before = object.remove("nullable");
        changes.push(
            Change::new(Stage::Normalize, Rule::RefSiblingsKept, pointer::child(at, "nullable"))
                .values(before, None)
                .note("`nullable: false` beside a $ref is the default; dropped"),
        );
    }
    // A draft-3 `required: true` on a property is lifted to its parent's list elsewhere.
    let kept = |key: &str, value: &Value| {
        (MEANINGFUL.contains(&key) && (key != "required" || value.is_array()))
            || (openapi_31 && DESCRIPTIVE.contains(&key))
    };
    if !object.iter().any(|(k, v)| kept(k, v)) {
        return;
    }
    let before = Value::Object(object.clone());
    let mut wrapper = Map::new();
    let mut inner = Map::new();
    for (key, value) in std::mem::take(object) {
        if kept(&key, &value) {
            let value = match (key.as_str(), &value) {
                ("nullable", Value::String(s)) => parse_bool(s).map_or(value, Value::Bool),
                _ => value,
            };
            wrapper.insert(key, value);
        } else {
            inner.insert(key, value);
        }
    }
    wrapper.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
    *object = wrapper;
    changes.push(
        Change::new(Stage::Normalize, Rule::RefSiblingsKept, at)
            .values(Some(before), Some(Value::Object(object.clone())))
            .note("the $ref wrapped in allOf, so its siblings apply"),
    );
}
