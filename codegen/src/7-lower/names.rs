//! Names a person would type: short schema names and an operationId on every operation.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::Value;

use crate::model::pointer;
use crate::model::refs::{self, Renames};
use crate::report::{Change, Rule, Stage};

/// The namespace segments of a .NET/Java-style qualified name
/// (`Datadeck_Api_WebModels_Models_Api_V1_Link_LinkTokenCreateRequest`), or `None` for an
/// ordinary name. Qualified means three or more segments, each starting with a capital letter.
fn namespace_segments(name: &str) -> Option<Vec<&str>> {
    let segments: Vec<&str> = name.split(['_', '.']).collect();
    let qualified =
        segments.len() >= 3 && segments.iter().all(|s| s.chars().next().is_some_and(|c| c.is_ascii_uppercase()));
    qualified.then_some(segments)
}

/// Renames namespace-qualified schemas to their shortest unique suffix
/// (`...Link_LinkTokenCreateRequest` becomes `LinkTokenCreateRequest`, or `LinkLinkTokenCreateRequest`
/// if another namespace has a `LinkTokenCreateRequest` too).
pub fn shorten_schema_names(document: &mut Value, changes: &mut Vec<Change>) {
    let Some(schemas) = document.pointer("/components/schemas").and_then(Value::as_object) else { return };
    let qualified: BTreeMap<&str, Vec<&str>> =
        schemas.keys().filter_map(|name| Some((name.as_str(), namespace_segments(name)?))).collect();
    let plain: BTreeSet<&str> = schemas.keys().map(String::as_str).filter(|n| !qualified.contains_key(n)).collect();
    let mut depth: BTreeMap<&str, usize> = qualified.keys().map(|n| (*n, 1)).collect();
    let suffix = |name: &str, k: usize| {
        let segments = &qualified[name];
        segments[segments.len() - k.min(segments.len())..].concat()
    };
    loop {
        let mut seen: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (name, k) in &depth {
            seen.entry(suffix(name, *k)).or_default().push(name);
        }
        let mut grew = false;
        for (candidate, names) in &seen {
            if names.len() > 1 || plain.contains(candidate.as_str()) {
                for name in names {
                    let k = depth.get_mut(name).expect("every qualified name has a depth");
                    if *k < qualified[name].len() {
                        *k += 1;
                        grew = true;
                    }
                }
            }
        }
        if !grew {
            break;
        }
    }
    let mut renames = Renames::new();
    for (name, k) in &depth {
        let short = suffix(name, *k);
        let taken =
            plain.contains(short.as_str()) || renames.get("schemas").is_some_and(|r| r.values().any(|v| *v == short));
        if short != *name && !taken {
            changes.push(
                Change::new(Stage::Lower, Rule::SchemaNameShortened, pointer::child("/components/schemas", name))
                    .values(Some(Value::String(name.to_string())), Some(Value::String(short.clone()))),
            );
            renames.entry("schemas".into()).or_default().insert(name.to_string(), short);
        }
    }
    refs::rename_components(document, &renames);
}

/// Rust names generated code uses without a path (`String` in progenitor's builders, `Option`,
/// `Result`, `Vec`, `Box`): a schema typify would give one of these names shadows it in the
/// `types` module, and code there stops compiling.
const PRELUDE_NAMES: [&str; 5] = ["String", "Option", "Result", "Vec", "Box"];

/// Renames schemas whose type name would shadow a Rust prelude type (`String` becomes
/// `StringSchema`), or that another schema's name gives too (`OBRate1_0` and `OB_Rate1_0` are
/// both `ObRate10`: the later one becomes `ObRate102`, free as a key and as a type name).
pub fn free_type_names(document: &mut Value, changes: &mut Vec<Change>) {
    let Some(schemas) = document.pointer("/components/schemas").and_then(Value::as_object) else { return };
    let mut renames = Renames::new();
    let mut types: BTreeSet<String> = BTreeSet::new();
    let keys: BTreeSet<&str> = schemas.keys().map(String::as_str).collect();
    for name in schemas.keys() {
        let rust = crate::model::naming::generator_name(name, true);
        let prelude = PRELUDE_NAMES.contains(&rust.as_str());
        if !prelude && types.insert(rust.clone()) {
            continue;
        }
        let base = if prelude { format!("{rust}Schema") } else { rust.clone() };
        let new = (1..)
            .map(|n| if n == 1 && prelude { base.clone() } else { format!("{base}{}", n + 1) })
            .find(|n| !keys.contains(n.as_str()) && !types.contains(&crate::model::naming::generator_name(n, true)))
            .expect("some suffix is free");
        types.insert(crate::model::naming::generator_name(&new, true));
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaNameShortened, pointer::child("/components/schemas", name))
                .values(Some(Value::String(name.clone())), Some(Value::String(new.clone())))
                .note(if prelude {
                    "the type would shadow Rust's own, which generated code uses"
                } else {
                    "another schema's name gives the same Rust type name"
                }),
        );
        renames.entry("schemas".into()).or_default().insert(name.clone(), new);
    }
    if !renames.is_empty() {
        refs::rename_components(document, &renames);
    }
}

/// Gives every operation an operationId, unique in the document as the generator will name it:
/// `CreateComment` and `createComment` are one method `create_comment` and one builder
/// `CreateComment`, so the second becomes `createComment_2`.
///
/// A missing id is derived from the method and the path (`post /link/token/create` gives
/// `post_link_token_create`, `{team_id}` gives `by_team_id`): stable while the docs' wording
/// changes, which a summary-derived name would not be.
pub fn ensure_operation_ids(document: &mut Value, changes: &mut Vec<Change>) {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let Some(Value::Object(paths)) = document.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut().filter(|(p, _)| !p.starts_with("x-")) {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            if !crate::model::walk::is_operation_key(method) {
                continue;
            }
            let Some(operation) = operation.as_object_mut() else { continue };
            let existing = operation.get("operationId").and_then(Value::as_str).map(str::to_owned);
            let wanted = existing.clone().unwrap_or_else(|| derive_operation_id(method, path));
            let id = crate::model::naming::first_free(&wanted, "_", |n| used.contains(&rust_name(n)));
            used.insert(rust_name(&id));
            if existing.as_deref() != Some(id.as_str()) {
                let at = pointer::child(&pointer::child(&pointer::child("/paths", path), method), "operationId");
                let note = if existing.is_some() {
                    "another operation already uses this id"
                } else {
                    "derived from the method and path"
                };
                changes.push(
                    Change::new(Stage::Lower, Rule::OperationIdSynthesized, at)
                        .values(existing.map(Value::String), Some(Value::String(id.clone())))
                        .note(note),
                );
                operation.insert("operationId".into(), Value::String(id));
            }
        }
    }
}

/// The one name an operationId's method and builder are both made from: two ids with the same
/// one would give two methods or builders of one name.
fn rust_name(operation_id: &str) -> String {
    crate::model::naming::generator_name(&crate::model::naming::method_name(operation_id), true)
}

fn derive_operation_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(parameter) => words.push(format!("by_{parameter}")),
            None => words.push(segment.to_string()),
        }
    }
    words.join("_").to_snake_case()
}
