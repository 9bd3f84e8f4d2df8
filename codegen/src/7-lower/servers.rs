//! One generated client per server, so every operation calls the host its docs name.
//!
//! The generator gives a client one base URL. Operations whose path item or operation declares
//! its own `servers` (a data-transfer API on another host) are grouped by their effective server
//! (operation's, else path item's, else the document's first) and each group becomes its own
//! client module. Each module keeps only the components its operations reach.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::{json, Map, Value};

use crate::model::pointer;
use crate::model::walk::is_operation_key;
use crate::report::{Change, Rule, Stage};

/// The operations of one server, as a document of their own.
#[derive(Clone, Debug)]
pub struct ServerGroup {
    /// The server URL every operation of the group calls by default.
    pub base_url: String,
    /// The module name; `None` when the API has one server only.
    pub module: Option<String>,
    /// The document with only this group's operations and the components they use.
    pub document: Value,
    /// Whether the module declares the API's `webhooks` module (an API with one client module
    /// and webhooks; with several, the API's own module declares it).
    pub declares_webhooks: bool,
    /// Properties renamed so their Rust fields differ: the name in [`Self::document`] → the
    /// documented one, which the generated structs are given back with `serde(rename)`.
    pub renamed_properties: BTreeMap<String, String>,
}

/// A server's URL with its variables replaced by their defaults.
fn server_url(server: &Value) -> Option<String> {
    let mut url = server.get("url")?.as_str()?.to_string();
    for (name, variable) in server.get("variables").and_then(Value::as_object).into_iter().flatten() {
        if let Some(default) = variable.get("default").and_then(Value::as_str) {
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    Some(url.trim_end_matches('/').to_string())
}

fn first_server(holder: &Value) -> Option<&Value> {
    holder.get("servers")?.as_array()?.first()
}

/// A module name derived from a URL when the manifest names none: host labels (without the
/// top-level domain and `www`) and path segments, in snake case.
fn derived_module_name(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let labels: Vec<&str> = host.split('.').collect();
    let mut words: Vec<&str> =
        labels[..labels.len().saturating_sub(1).max(1)].iter().copied().filter(|l| *l != "www").collect();
    words.extend(path.split('/').filter(|s| !s.is_empty()));
    let name = words.join("_").to_snake_case();
    if name.is_empty() {
        "default".into()
    } else {
        crate::model::naming::sanitize(&name)
    }
}

/// Splits `document` into one group per effective server.
///
/// `module_names` maps server URLs to the module names the manifest chose.
pub fn partition(
    document: Value,
    module_names: &BTreeMap<String, String>,
    changes: &mut Vec<Change>,
) -> Vec<ServerGroup> {
    let default_server = first_server(&document).cloned().unwrap_or_else(|| json!({ "url": "" }));
    // (server object, [(path, method)]) in order of first appearance, the document's server first.
    let mut groups: Vec<(Value, Vec<(String, String)>)> = vec![(default_server.clone(), Vec::new())];
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            let server = first_server(operation).or_else(|| first_server(item)).unwrap_or(&default_server);
            let url = server_url(server);
            match groups.iter_mut().find(|(s, _)| server_url(s) == url) {
                Some((_, operations)) => operations.push((path.clone(), method.clone())),
                None => groups.push((server.clone(), vec![(path.clone(), method.clone())])),
            }
        }
    }
    groups.retain(|(_, operations)| !operations.is_empty());
    if let [(server, _)] = groups.as_slice() {
        // Every operation is the one group's: the document becomes its document, rather than
        // a copy of it (on Microsoft Graph a quarter of a second and 300 MB).
        let base_url = server_url(server).unwrap_or_default();
        let document = whole_group_document(document, server);
        return vec![ServerGroup {
            base_url,
            module: None,
            document,
            declares_webhooks: false,
            renamed_properties: BTreeMap::new(),
        }];
    }
    let document = &document;
    let mut used_names = BTreeSet::new();
    groups
        .into_iter()
        .map(|(server, operations)| {
            let base_url = server_url(&server).unwrap_or_default();
            let module = Some({
                let wanted = module_names
                    .get(&base_url)
                    .map(|n| crate::model::naming::sanitize(n))
                    .unwrap_or_else(|| derived_module_name(&base_url));
                let name = crate::model::naming::first_free(&wanted, "_", |n| used_names.contains(n));
                used_names.insert(name.clone());
                name
            });
            if let Some(module) = &module {
                changes.push(
                    Change::new(Stage::Lower, Rule::ServerPartition, "/servers")
                        .values(None, Some(Value::String(base_url.clone())))
                        .note(format!("{} operation(s) in module `{module}`", operations.len())),
                );
            }
            let document = group_document(document, &server, &operations);
            ServerGroup { base_url, module, document, declares_webhooks: false, renamed_properties: BTreeMap::new() }
        })
        .collect()
}

fn group_document(document: &Value, server: &Value, operations: &[(String, String)]) -> Value {
    // Everything but the paths, which are rebuilt below from the group's operations (copying
    // them too was most of the cost of this stage on large APIs), and the components, of which
    // only those the group reaches are copied once its paths are known.
    let mut group: Map<String, Value> = match document.as_object() {
        Some(object) => object
            .iter()
            .map(|(k, v)| (k.clone(), if k == "paths" || k == "components" { Value::Null } else { v.clone() }))
            .collect(),
        None => Map::new(),
    };
    let operations: std::collections::HashSet<(&str, &str)> =
        operations.iter().map(|(path, method)| (path.as_str(), method.as_str())).collect();
    let root = &mut group;
    put_server_first(root, server);
    let mut paths = Map::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let Some(item) = item.as_object() else { continue };
        let mut kept: Map<String, Value> = item
            .iter()
            .filter(|(key, _)| !is_operation_key(key) || operations.contains(&(path.as_str(), key.as_str())))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !kept.keys().any(|k| is_operation_key(k)) {
            continue;
        }
        remove_servers(&mut kept);
        paths.insert(path.clone(), Value::Object(kept));
    }
    root.insert("paths".into(), Value::Object(paths));
    let mut group = Value::Object(group);
    if let Some(components) = document.get("components") {
        let reached = reached_components(&group, components);
        if let Some(slot) = group.get_mut("components") {
            *slot = reached_part(components, &reached);
        }
    }
    group
}

/// The part of `components` that `reached` names: each section's reached items in their order,
/// sections left without any dropped (what [`prune_components`] leaves of a copy of it).
fn reached_part(components: &Value, reached: &BTreeSet<(String, String)>) -> Value {
    let Value::Object(sections) = components else { return components.clone() };
    let mut part = Map::new();
    for (section, items) in sections {
        match items {
            Value::Object(items) => {
                let kept: Map<String, Value> = items
                    .iter()
                    .filter(|(name, _)| reached.contains(&(section.clone(), (*name).clone())))
                    .map(|(name, item)| (name.clone(), item.clone()))
                    .collect();
                if !kept.is_empty() {
                    part.insert(section.clone(), Value::Object(kept));
                }
            }
            other => {
                part.insert(section.clone(), other.clone());
            }
        }
    }
    Value::Object(part)
}

/// [`group_document`] for the group of every operation, made of the document itself.
fn whole_group_document(mut document: Value, server: &Value) -> Value {
    let Value::Object(root) = &mut document else { return document };
    put_server_first(root, server);
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        paths.retain(|_, item| item.as_object().is_some_and(|item| item.keys().any(|k| is_operation_key(k))));
        for item in paths.values_mut() {
            if let Value::Object(item) = item {
                remove_servers(item);
            }
        }
    }
    prune_components(&mut document);
    document
}

/// Puts the group's server first in the `servers` of `root` (the document's, or a copy): the
/// document's other servers stay as documented alternatives (a sandbox) when the group's server
/// is one of them.
fn put_server_first(root: &mut Map<String, Value>, server: &Value) {
    let mut servers = vec![server.clone()];
    let documented = root.get("servers").and_then(Value::as_array).cloned().unwrap_or_default();
    if documented.contains(server) {
        servers.extend(documented.into_iter().filter(|s| s != server));
    }
    if server_url(server).is_some_and(|url| !url.is_empty()) {
        root.insert("servers".into(), Value::Array(servers));
    }
}

/// Removes the `servers` of a path item and of its operations: the group's is the document's.
fn remove_servers(item: &mut Map<String, Value>) {
    item.remove("servers");
    for (_, operation) in item.iter_mut().filter(|(k, _)| is_operation_key(k)) {
        if let Some(operation) = operation.as_object_mut() {
            operation.remove("servers");
        }
    }
}

/// Drops the components no operation of the group reaches, directly or through others.
///
/// Only `paths` count: extensions such as GitHub's `x-webhooks` reference hundreds of payload
/// schemas that no client method sends or returns (keeping them made GitHub's one-operation
/// upload module 37 MB).
fn prune_components(document: &mut Value) {
    let Some(components) = document.get("components") else { return };
    let reached = reached_components(document, components);
    let Some(Value::Object(sections)) = document.get_mut("components") else { return };
    for (section, items) in sections.iter_mut() {
        if let Value::Object(items) = items {
            items.retain(|name, _| reached.contains(&(section.clone(), name.clone())));
        }
    }
    sections.retain(|_, items| items.as_object().is_none_or(|i| !i.is_empty()));
}

/// The components (section, name) of `components` that the paths and security requirements of
/// `document` reach, directly or through others.
fn reached_components(document: &Value, components: &Value) -> BTreeSet<(String, String)> {
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut pending = Vec::new();
    if let Some(paths) = document.get("paths") {
        pending.extend(pointer::component_refs(paths));
    }
    for scheme in security_scheme_names(document) {
        pending.push(("securitySchemes".to_string(), scheme));
    }
    while let Some(key) = pending.pop() {
        if reached.insert(key.clone()) {
            if let Some(target) = components.get(&key.0).and_then(|s| s.get(&key.1)) {
                pending.extend(pointer::component_refs(target));
            }
        }
    }
    reached
}

/// Copies into `group` the component schemas named in `roots` and every component they reach
/// in `full` (for the webhook payloads' own document).
pub fn keep_schemas(group: &mut Value, full: &Value, roots: &[String]) {
    let Some(components) = full.get("components") else { return };
    let mut pending: Vec<(String, String)> = roots.iter().map(|r| ("schemas".to_string(), r.clone())).collect();
    let mut seen = BTreeSet::new();
    while let Some(key) = pending.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        let Some(target) = components.get(&key.0).and_then(|s| s.get(&key.1)) else { continue };
        pending.extend(pointer::component_refs(target));
        let Some(root) = group.as_object_mut() else { return };
        let section = root
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|c| c.entry(key.0.clone()).or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut);
        if let Some(section) = section {
            section.entry(key.1.clone()).or_insert_with(|| target.clone());
        }
    }
}

fn security_scheme_names(document: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut add = |list: Option<&Value>| {
        for requirement in list.and_then(Value::as_array).into_iter().flatten() {
            names.extend(requirement.as_object().into_iter().flatten().map(|(k, _)| k.clone()));
        }
    };
    add(document.get("security"));
    for item in document.get("paths").and_then(Value::as_object).into_iter().flatten().map(|(_, i)| i) {
        for (_, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            add(operation.get("security"));
        }
    }
    names
}
