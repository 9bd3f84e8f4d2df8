//! Stage 6, merge: the pages that are slices of one API become one document.
//!
//! Vendors publish one endpoint per page, each page a complete spec with its own copy of the
//! shared components. Identical components are kept once. Components with one name and
//! different shapes (two pages' `ErrorResponse`s) are kept apart: the later page's is renamed
//! with the page's id as a prefix (`DtsErrorResponse`), and every reference in that page follows.
//! A page whose servers or security differ from the API's first page gets them pushed down onto
//! its own paths and operations, so no page changes what another page's operations mean.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use crate::model::pointer;
use crate::model::refs::{self, Renames};
use crate::report::{Change, Rule, Stage};

/// One clean page document, ready to merge.
#[derive(Clone, Debug)]
pub struct PageDocument {
    /// The page's short id from the manifest (prefix for renamed components).
    pub id: String,
    /// The file the document came from, for the report.
    pub file: String,
    /// The normalized document.
    pub document: Value,
}

/// The merged API and what merging did.
#[derive(Debug)]
pub struct Merged {
    /// The one document of the API.
    pub document: Value,
    /// Deduplications, renames and moved servers, each naming its page.
    pub changes: Vec<Change>,
}

/// Merges the pages of one API, in order; the first page's info, servers and security are the API's.
///
/// # Errors
/// When two pages define the same operation (same path and method).
pub fn merge(pages: Vec<PageDocument>) -> Result<Merged> {
    let mut pages = pages.into_iter();
    let Some(first) = pages.next() else {
        return Err(Diagnostic::new(Kind::NoPages, "an API needs at least one page").into());
    };
    let mut merged = first.document;
    let mut changes = Vec::new();
    let mut problems = Diagnostics::default();
    // Every name a component of a given (section, original name) ended up under, so a third page
    // identical to the second page's variant reuses it.
    let mut variants: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for page in pages {
        let mut document = page.document;
        let renames = plan_renames(&merged, &document, &page.id, &mut variants);
        refs::rename_components(&mut document, &renames);
        record_component_outcomes(&merged, &document, &renames, &page.file, &mut changes);
        push_down(&merged, &mut document, "servers", &page.file, &mut changes);
        push_down(&merged, &mut document, "security", &page.file, &mut changes);
        if let Err(e) = add_paths(&mut merged, &document, &page.file) {
            problems.extend(e);
        }
        add_components(&mut merged, &document);
        add_tags(&mut merged, &document);
        for field in ["info", "externalDocs"] {
            if let (Some(ours), Some(theirs)) = (merged.get(field), document.get(field)) {
                if ours != theirs {
                    let mut change = Change::new(Stage::Merge, Rule::PageFieldIgnored, format!("/{field}"))
                        .note("the API's first page sets it");
                    change.file = Some(page.file.clone());
                    changes.push(change);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(Merged { document: merged, changes })
    } else {
        Err(problems)
    }
}

fn components(document: &Value) -> Option<&Map<String, Value>> {
    document.get("components").and_then(Value::as_object)
}

/// Decides the new names of the page's components that collide with different ones already
/// merged. Renaming one component changes the components that refer to it, so this repeats
/// until no new collision appears.
fn plan_renames(
    merged: &Value,
    page: &Value,
    page_id: &str,
    variants: &mut BTreeMap<(String, String), Vec<String>>,
) -> Renames {
    let prefix = page_id.to_upper_camel_case();
    let mut renames = Renames::new();
    loop {
        let mut candidate = page.clone();
        refs::rename_components(&mut candidate, &renames);
        let mut added = false;
        for (section, items) in components(page).into_iter().flatten() {
            let Value::Object(items) = items else { continue };
            for name in items.keys() {
                if renames.get(section).is_some_and(|r| r.contains_key(name)) {
                    continue;
                }
                let ours = components(merged).and_then(|c| c.get(section)).and_then(|s| s.get(name));
                let theirs = components(&candidate).and_then(|c| c.get(section)).and_then(|s| s.get(name));
                let (Some(ours), Some(theirs)) = (ours, theirs) else { continue };
                if ours == theirs {
                    continue;
                }
                let key = (section.clone(), name.clone());
                let known = variants.entry(key).or_default();
                let section_items = components(merged).and_then(|c| c.get(section)).and_then(Value::as_object);
                let reuse =
                    known.iter().find(|variant| section_items.and_then(|s| s.get(*variant)) == Some(theirs)).cloned();
                let new_name = reuse.unwrap_or_else(|| {
                    let base = format!("{prefix}{name}");
                    let taken = |n: &str| section_items.is_some_and(|s| s.contains_key(n)) || items.contains_key(n);
                    let new_name = crate::model::naming::first_free(&base, "", taken);
                    known.push(new_name.clone());
                    new_name
                });
                renames.entry(section.clone()).or_default().insert(name.clone(), new_name);
                added = true;
            }
        }
        if !added {
            return renames;
        }
    }
}

fn record_component_outcomes(merged: &Value, page: &Value, renames: &Renames, file: &str, changes: &mut Vec<Change>) {
    for (section, items) in components(page).into_iter().flatten() {
        let Value::Object(items) = items else { continue };
        for (name, value) in items {
            let at = pointer::child(&pointer::child("/components", section), name);
            let original =
                renames.get(section).and_then(|r| r.iter().find(|(_, new)| *new == name)).map(|(old, _)| old.clone());
            let existing = components(merged).and_then(|c| c.get(section)).and_then(|s| s.get(name));
            let change = match (original, existing) {
                (Some(old), _) => Change::new(
                    Stage::Merge,
                    Rule::ComponentRenamed,
                    pointer::child(&pointer::child("/components", section), &old),
                )
                .values(Some(Value::String(old.clone())), Some(Value::String(name.clone())))
                .note("another page defines a different component under this name"),
                (None, Some(existing)) if existing == value => {
                    Change::new(Stage::Merge, Rule::ComponentDeduplicated, at)
                        .note("identical to the one already merged")
                }
                _ => continue,
            };
            let mut change = change;
            change.file = Some(file.to_string());
            changes.push(change);
        }
    }
}

/// Moves a page's top-level `servers` or `security` onto its path items / operations when it
/// differs from the merged API's, so its operations keep their meaning.
fn push_down(merged: &Value, page: &mut Value, field: &str, file: &str, changes: &mut Vec<Change>) {
    let Some(theirs) = page.get(field).cloned() else { return };
    if merged.get(field) == Some(&theirs) {
        return;
    }
    let Some(Value::Object(paths)) = page.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut().filter(|(p, _)| !p.starts_with("x-")) {
        let Some(item) = item.as_object_mut() else { continue };
        let targets: Vec<(String, &mut Map<String, Value>)> = if field == "servers" {
            vec![(pointer::child("/paths", path), item)]
        } else {
            item.iter_mut()
                .filter(|(m, _)| crate::model::walk::is_operation_key(m))
                .filter_map(|(m, op)| Some((pointer::child(&pointer::child("/paths", path), m), op.as_object_mut()?)))
                .collect()
        };
        for (at, target) in targets {
            if !target.contains_key(field) {
                target.insert(field.to_string(), theirs.clone());
                let mut change = Change::new(Stage::Merge, Rule::ServersMovedToPaths, pointer::child(&at, field))
                    .values(None, Some(theirs.clone()))
                    .note(format!("the page's top-level `{field}` differs from the API's first page"));
                change.file = Some(file.to_string());
                changes.push(change);
            }
        }
    }
}

fn add_paths(merged: &mut Value, page: &Value, file: &str) -> Result<()> {
    let Some(Value::Object(paths)) = page.get("paths") else { return Ok(()) };
    let merged_paths = merged
        .as_object_mut()
        .expect("checked by extract: a document is an object")
        .entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(merged_paths) = merged_paths else { return Ok(()) };
    let mut problems = Diagnostics::default();
    for (path, item) in paths {
        match (merged_paths.get_mut(path), item) {
            (None, item) => {
                merged_paths.insert(path.clone(), item.clone());
            }
            (Some(Value::Object(ours)), Value::Object(theirs)) => {
                for (key, value) in theirs {
                    match ours.get(key) {
                        None => {
                            ours.insert(key.clone(), value.clone());
                        }
                        Some(existing) if existing == value => {}
                        Some(_) => problems.push(
                            Diagnostic::new(
                                Kind::ConflictingPages,
                                format!("`{key}` of path {path} is defined by two pages differently"),
                            )
                            .in_file(file)
                            .at(pointer::child(&pointer::child("/paths", path), key)),
                        ),
                    }
                }
            }
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn add_components(merged: &mut Value, page: &Value) {
    let Some(theirs) = components(page) else { return };
    let root = merged.as_object_mut().expect("a document is an object");
    let Value::Object(ours) = root.entry("components").or_insert_with(|| Value::Object(Map::new())) else {
        return;
    };
    for (section, items) in theirs {
        let Value::Object(items) = items else { continue };
        let Value::Object(target) = ours.entry(section.clone()).or_insert_with(|| Value::Object(Map::new())) else {
            continue;
        };
        for (name, value) in items {
            target.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
}

fn add_tags(merged: &mut Value, page: &Value) {
    let Some(Value::Array(theirs)) = page.get("tags") else { return };
    let root = merged.as_object_mut().expect("a document is an object");
    let Value::Array(ours) = root.entry("tags").or_insert_with(|| Value::Array(Vec::new())) else { return };
    for tag in theirs {
        let name = tag.get("name");
        if !ours.iter().any(|t| t.get("name") == name) {
            ours.push(tag.clone());
        }
    }
}
