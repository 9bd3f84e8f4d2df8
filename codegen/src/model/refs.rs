//! Renaming components consistently: the component itself, every `$ref` to it, discriminator
//! mappings, and (for security schemes) the keys of security requirements.
//!
//! Both the merge stage (colliding names) and the lower stage (shortening long names) rename,
//! and a rename that missed one reference would leave a dangling `$ref`; so there is one place
//! that does it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::pointer;

/// New names per component section: `renames["schemas"]["Old"] == "New"`.
pub type Renames = BTreeMap<String, BTreeMap<String, String>>;

/// Applies `renames` to `document` in place.
pub fn rename_components(document: &mut Value, renames: &Renames) {
    if renames.values().all(BTreeMap::is_empty) {
        return;
    }
    if let Some(components) = document.get_mut("components").and_then(Value::as_object_mut) {
        for (section, names) in renames {
            if let Some(Value::Object(items)) = components.get_mut(section) {
                let old = std::mem::take(items);
                *items =
                    old.into_iter().map(|(name, value)| (names.get(&name).cloned().unwrap_or(name), value)).collect();
            }
        }
    }
    rewrite_references(document, renames);
    if let Some(schemes) = renames.get("securitySchemes") {
        rename_security_requirements(document, schemes);
    }
}

fn rewrite_references(value: &mut Value, renames: &Renames) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => rewrite_one(reference, renames),
                    ("mapping", Value::Object(mapping)) => {
                        for target in mapping.values_mut() {
                            if let Value::String(reference) = target {
                                rewrite_one(reference, renames);
                            }
                        }
                    }
                    (_, child) => rewrite_references(child, renames),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_references(item, renames)),
        _ => {}
    }
}

fn rewrite_one(reference: &mut String, renames: &Renames) {
    if let Some((section, name)) = pointer::component_ref(reference) {
        if let Some(new) = renames.get(section).and_then(|names| names.get(&name)) {
            *reference = pointer::component_ref_to(section, new);
        }
    }
}

/// Security requirements name schemes by key, not by `$ref`: rename those keys.
fn rename_security_requirements(document: &mut Value, schemes: &BTreeMap<String, String>) {
    let rename_list = |list: &mut Value| {
        if let Value::Array(requirements) = list {
            for requirement in requirements.iter_mut().filter_map(Value::as_object_mut) {
                let old = std::mem::take(requirement);
                *requirement = old
                    .into_iter()
                    .map(|(name, scopes)| (schemes.get(&name).cloned().unwrap_or(name), scopes))
                    .collect::<Map<_, _>>();
            }
        }
    };
    if let Some(security) = document.get_mut("security") {
        rename_list(security);
    }
    for operation in operations_mut(document) {
        if let Some(security) = operation.get_mut("security") {
            rename_list(security);
        }
    }
}

/// Every operation object of the document.
pub fn operations_mut(document: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    document
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .filter(|(path, _)| !path.starts_with("x-"))
        .filter_map(|(_, item)| item.as_object_mut())
        .flat_map(|item| item.iter_mut())
        .filter(|(method, _)| crate::model::walk::is_operation_key(method))
        .filter_map(|(_, operation)| operation.as_object_mut())
}
