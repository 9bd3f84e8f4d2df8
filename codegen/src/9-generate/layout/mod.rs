//! Where each generated item goes: which items are worth emitting, which file holds them, and
//! which cargo feature compiles them.
//!
//! Type-checking time grows with the code emitted, and one 20 MB file is more than editors
//! and rust-analyzer cope with. So, on the module's items as cut for formatting
//! ([`crate::generate::format`]):
//! - [`same_types`]: types whose items read the same (schemas a spec repeats inline) become
//!   one type, each copy a `pub type` alias of the first.
//! - [`prune_builders`]: typify gives every type a builder (`types::builder::X`, with setters
//!   and conversions), nearly half of a large client's code. A builder serves to build a value
//!   to send; types that are only ever received keep none.
//! - [`arrange`]: a large module is split into files, one per tag (operations by their first
//!   tag), chunked to stay under [`FILE_LIMIT`], and each tag gets a cargo feature. The
//!   module's file keeps the module frames and `include!`s its parts: `include!` pastes items
//!   into the module they were in, so every path progenitor and typify wrote resolves as
//!   before. Items go behind the features of the operations that reach them through the names
//!   they mention; an item reached from an item no feature gates is never gated.

pub(crate) mod same_types;
pub(crate) mod shape;
mod text_tokens;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::generate::format::{CutItem, Entry, Piece, Scope};
use crate::plan::OperationPlan;
use shape::Kind;

/// The most a generated file should hold, in bytes: editors and rust-analyzer slow down on
/// larger ones.
pub const FILE_LIMIT: usize = 1_000_000;

/// How much item text (tokens as text; printed, it is up to 1.6 times as long) one part file
/// takes.
const PART_BUDGET: usize = 450_000;

/// The part of items every feature, or several, compile: `_` keeps it apart from any feature's
/// part, feature names being kebab-case.
const SHARED: &str = "shared_items";

/// Whether an API's modules are split into files and features per tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TagLayout {
    /// When the module's code is larger than [`FILE_LIMIT`].
    #[default]
    Auto,
    /// Always (the manifest's `tag_features = true`).
    Always,
    /// Never: one file, no features.
    Never,
}

/// A module arranged in files.
pub(crate) struct Arranged {
    /// The module's own file: its frames, and `include!`s of its parts when split.
    pub main: Vec<Piece>,
    /// Each part: its path relative to the directory its `include!`s name, and its items.
    pub parts: Vec<(String, Vec<Piece>)>,
    /// The cargo features the module's `cfg`s name, sorted.
    pub features: Vec<String>,
}

/// The cargo feature of an operation tag: its kebab-case name, kept clear of the features a
/// generated crate has for other things.
pub fn feature_name(tag: &str) -> Option<String> {
    let name = heck::ToKebabCase::to_kebab_case(tag);
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let name = name.trim_matches('-').to_string();
    match name.as_str() {
        "" => None,
        // Features the crate has for other things, and `mod` (its part would be `mod.rs`).
        "default" | "webhooks" | "mod" => Some(format!("{name}-operations")),
        _ if name.starts_with(|c: char| c.is_ascii_digit()) => Some(format!("tag-{name}")),
        _ => Some(name),
    }
}

/// Drops typify's builders of types no request reaches, and their `builder()` constructors.
/// Requests are read from progenitor's operation builders (module `builder`): the types of
/// their fields (parameters and bodies) and every type those are made of. Without operation
/// builders (the webhooks module: payloads are only received) no type keeps its builder.
pub(crate) fn prune_builders(root: &mut Scope) {
    // An operation builder's own name counts too: its body type often shares it
    // (`createApiKey`'s builder `CreateApiKey` sends `types::CreateApiKey`); a response type
    // that shares it (`health`'s `Health`) keeps a builder it does not need, which is harmless.
    let roots: Vec<&String> = child(root, "builder")
        .into_iter()
        .flat_map(items)
        .filter(|i| i.shape.kind == Kind::Struct)
        .flat_map(|i| &i.shape.names)
        .collect();
    let Some(types) = child(root, "types") else { return };
    if child(types, "builder").is_none() {
        return;
    }
    let mut definitions: HashMap<&str, Vec<&String>> = HashMap::new();
    for item in items(types).filter(|i| matches!(i.shape.kind, Kind::Struct | Kind::Definition)) {
        if let Some(key) = &item.shape.key {
            definitions.entry(key).or_default().extend(&item.shape.names);
        }
    }
    let sent: BTreeSet<String> = reach(roots, |name| definitions.get(name).cloned().unwrap_or_default())
        .into_iter()
        .filter(|name| definitions.contains_key(name.as_str()))
        .collect();
    let keep = |item: &CutItem, in_builder_module: bool| match &item.shape.key {
        Some(key) if !sent.contains(key) => {
            let constructor = item.shape.kind == Kind::InherentImpl && item.shape.names.iter().any(|n| n == "builder");
            !(in_builder_module || constructor)
        }
        _ => true,
    };
    let types = child_mut(root, "types").expect("found above");
    types.entries.retain(|entry| !matches!(entry, Entry::Item(item) if !keep(item, false)));
    let builders = child_mut(types, "builder").expect("found above");
    builders.entries.retain(|entry| !matches!(entry, Entry::Item(item) if !keep(item, true)));
    if builders.entries.is_empty() {
        types.entries.retain(|entry| !matches!(entry, Entry::Module(m) if m.name == "builder"));
    }
}

fn child<'a>(scope: &'a Scope, name: &str) -> Option<&'a Scope> {
    scope.entries.iter().find_map(|e| match e {
        Entry::Module(m) if m.name == name => Some(m),
        _ => None,
    })
}

/// The module `name` among `scope`'s entries.
pub(crate) fn child_mut<'a>(scope: &'a mut Scope, name: &str) -> Option<&'a mut Scope> {
    scope.entries.iter_mut().find_map(|e| match e {
        Entry::Module(m) if m.name == name => Some(m),
        _ => None,
    })
}

fn items(scope: &Scope) -> impl Iterator<Item = &CutItem> {
    scope.entries.iter().filter_map(|e| match e {
        Entry::Item(item) => Some(item),
        Entry::Module(_) => None,
    })
}

/// Every name reached from `roots`, following `edges` (the names an item of that name
/// mentions).
fn reach<'a, 'r>(
    roots: impl IntoIterator<Item = &'r String>,
    edges: impl Fn(&str) -> Vec<&'a String>,
) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = roots.into_iter().cloned().collect();
    while let Some(name) = queue.pop_front() {
        if !seen.contains(&name) {
            queue.extend(edges(&name).into_iter().filter(|n| !seen.contains(*n)).cloned());
            seen.insert(name);
        }
    }
    seen
}

/// One item to place: a cut item, or one method of a split inherent `impl`.
struct Unit {
    /// Index of its module in [`Arrangement::scopes`].
    scope: usize,
    source: String,
    key: Option<String>,
    names: Vec<String>,
    /// For a method: the `impl ...` it goes back into.
    impl_head: Option<String>,
    /// The item printed where it was cut, at depth 0 without features ([`CutItem::printed`]).
    printed: Option<String>,
}

/// A module's frame, kept while its items are placed.
struct Frame {
    /// Module names from the file down (empty for the file).
    path: Vec<String>,
    depth: usize,
    header: String,
    footer: String,
    /// Modules inside it, in order, by index.
    children: Vec<usize>,
}

#[derive(Default)]
struct Arrangement {
    scopes: Vec<Frame>,
    units: Vec<Unit>,
}

impl Arrangement {
    fn add(&mut self, scope: Scope, path: Vec<String>, operations: &BTreeSet<&str>) -> usize {
        let index = self.scopes.len();
        self.scopes.push(Frame {
            path: path.clone(),
            depth: scope.depth,
            header: scope.header,
            footer: scope.footer,
            children: Vec::new(),
        });
        for entry in scope.entries {
            match entry {
                Entry::Module(inner) => {
                    let mut inner_path = path.clone();
                    inner_path.push(inner.name.clone());
                    let child = self.add(inner, inner_path, operations);
                    self.scopes[index].children.push(child);
                }
                Entry::Item(item) => match item.shape.split {
                    Some((head, methods)) if methods.iter().any(|m| operations.contains(m.name.as_str())) => {
                        for method in methods {
                            let key = if operations.contains(method.name.as_str()) {
                                Some(method.name)
                            } else {
                                item.shape.key.clone()
                            };
                            self.units.push(Unit {
                                scope: index,
                                source: method.source,
                                key,
                                names: method.names,
                                impl_head: Some(head.clone()),
                                printed: None,
                            });
                        }
                    }
                    _ => self.units.push(Unit {
                        scope: index,
                        source: item.source,
                        key: item.shape.key,
                        names: item.shape.names,
                        impl_head: None,
                        printed: item.printed,
                    }),
                },
            }
        }
        index
    }
}

/// Arranges a module: as one file, or (when `layout` asks, or the module is large) in parts
/// per tag behind features. `include_prefix` is the directory, relative to the module's file,
/// its parts are written in (`"pets/"`), and starts every part's path.
pub(crate) fn arrange(root: Scope, operations: &[OperationPlan], layout: TagLayout, include_prefix: &str) -> Arranged {
    let size: usize = size_of(&root);
    let split = match layout {
        TagLayout::Never => false,
        TagLayout::Always => true,
        TagLayout::Auto => size > FILE_LIMIT,
    };
    if !split {
        let mut main = Vec::new();
        crate::generate::format::flatten(root, &mut main);
        return Arranged { main, parts: Vec::new(), features: Vec::new() };
    }
    let feature_of: BTreeMap<&str, String> =
        operations.iter().filter_map(|o| Some((o.method_name.as_str(), feature_name(o.tag.as_deref()?)?))).collect();
    let operations: BTreeSet<&str> = operations.iter().map(|o| o.method_name.as_str()).collect();
    let mut arrangement = Arrangement::default();
    arrangement.add(root, Vec::new(), &operations);
    let features: Vec<String> = feature_of.values().cloned().collect::<BTreeSet<_>>().into_iter().collect();
    // With one feature or none there is nothing to choose between: parts only, no `cfg`.
    if features.len() > 1 {
        let gates = gates(&arrangement.units, &feature_of, &features);
        place(arrangement, &gates, include_prefix, features)
    } else {
        let gates = vec![Vec::new(); arrangement.units.len()];
        place(arrangement, &gates, include_prefix, Vec::new())
    }
}

fn size_of(scope: &Scope) -> usize {
    scope
        .entries
        .iter()
        .map(|e| match e {
            Entry::Item(item) => item.source.len(),
            Entry::Module(inner) => size_of(inner),
        })
        .sum()
}

/// The features each unit compiles under (indexes into `features`; empty: always compiled).
///
/// The units' keys are numbered and their references made a list of numbers once: walking
/// them by name, with a set of names per feature, was most of laying out Microsoft Graph
/// (hundreds of features, each reaching thousands of shared types).
fn gates(units: &[Unit], feature_of: &BTreeMap<&str, String>, features: &[String]) -> Vec<Vec<usize>> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for unit in units {
        if let Some(key) = &unit.key {
            let next = ids.len();
            ids.entry(key.as_str()).or_insert(next);
        }
    }
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for unit in units {
        let Some(from) = unit.key.as_deref().and_then(|key| ids.get(key)) else { continue };
        edges[*from].extend(unit.names.iter().filter_map(|name| ids.get(name.as_str())));
    }
    for targets in &mut edges {
        targets.sort_unstable();
        targets.dedup();
    }
    // Everything `roots` reach, themselves included, marked in `seen` (cleared first).
    let reach = |roots: &[usize], seen: &mut Vec<bool>| {
        seen.iter_mut().for_each(|s| *s = false);
        let mut stack: Vec<usize> = roots.to_vec();
        while let Some(at) = stack.pop() {
            if !std::mem::replace(&mut seen[at], true) {
                stack.extend(edges[at].iter().copied().filter(|&to| !seen[to]));
            }
        }
    };
    // Keys each feature's operations reach.
    let index_of: HashMap<&str, usize> = features.iter().enumerate().map(|(f, name)| (name.as_str(), f)).collect();
    let mut roots: Vec<Vec<usize>> = vec![Vec::new(); features.len()];
    for (method, feature) in feature_of {
        if let (Some(&f), Some(&id)) = (index_of.get(feature.as_str()), ids.get(method)) {
            roots[f].push(id);
        }
    }
    let mut tags: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    let mut seen = vec![false; ids.len()];
    for (f, roots) in roots.iter().enumerate() {
        reach(roots, &mut seen);
        for (id, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
            tags[id].push(f);
        }
    }
    // What no feature's operation reaches is always compiled, and so is all it mentions.
    let free_roots: Vec<usize> = units
        .iter()
        .filter(|u| u.key.as_deref().is_none_or(|k| tags[ids[k]].is_empty()))
        .flat_map(|u| u.names.iter().filter_map(|name| ids.get(name.as_str()).copied()))
        .collect();
    let mut free = vec![false; ids.len()];
    reach(&free_roots, &mut free);
    units
        .iter()
        .map(|unit| match unit.key.as_deref().map(|key| ids[key]) {
            Some(id) if !free[id] => match &tags[id] {
                set if !set.is_empty() && set.len() < features.len() => set.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        })
        .collect()
}

/// Writes the frames and `include!`s, and fills each part. `gates` has one entry per unit.
fn place(arrangement: Arrangement, gates: &[Vec<usize>], include_prefix: &str, features: Vec<String>) -> Arranged {
    let Arrangement { scopes, units } = arrangement;
    // Per module, per group (a feature, or [`SHARED`]), the units in order.
    let mut groups: Vec<BTreeMap<String, Vec<usize>>> = vec![BTreeMap::new(); scopes.len()];
    for (i, unit) in units.iter().enumerate() {
        let gate = gates[i].as_slice();
        let group = match gate {
            [one] => features[*one].clone(),
            _ => SHARED.to_string(),
        };
        groups[unit.scope].entry(group).or_default().push(i);
    }
    let mut parts: Vec<(String, Vec<Piece>)> = Vec::new();
    let mut includes: Vec<Vec<(Option<String>, String)>> = vec![Vec::new(); scopes.len()];
    let mut units: Vec<Option<Unit>> = units.into_iter().map(Some).collect();
    for (scope, by_group) in groups.into_iter().enumerate() {
        let directory: String = scopes[scope].path.iter().map(|name| format!("{name}/")).collect();
        for (group, members) in by_group {
            let cfg = (group != SHARED).then(|| group.clone());
            let mut chunk = 1;
            let mut pieces = Vec::new();
            let mut size = 0;
            // Methods of one `impl` with the same gate, consecutive in the part, are put back
            // into one block: (its head, the methods, the gate).
            let mut open_impl: Option<(String, String, Vec<String>)> = None;
            let flush_impl = |open: &mut Option<(String, String, Vec<String>)>, pieces: &mut Vec<Piece>| {
                if let Some((head, body, features)) = open.take() {
                    pieces.push(Piece::Item {
                        source: format!("{head} {{ {body} }}"),
                        depth: 0,
                        features,
                        printed: None,
                    });
                }
            };
            for i in members {
                let unit = units[i].take().expect("each unit is placed once");
                let gate = gates[i].as_slice();
                // A gate of one feature is the part's own `include!`'s.
                let any: Vec<String> =
                    if gate.len() > 1 { gate.iter().map(|f| features[*f].clone()).collect() } else { Vec::new() };
                if size > PART_BUDGET {
                    flush_impl(&mut open_impl, &mut pieces);
                    let name = part_name(&directory, &group, chunk);
                    includes[scope].push((cfg.clone(), name.clone()));
                    parts.push((name, std::mem::take(&mut pieces)));
                    chunk += 1;
                    size = 0;
                }
                size += unit.source.len();
                match unit.impl_head {
                    Some(head) => match &mut open_impl {
                        Some((open_head, body, open_any)) if *open_head == head && *open_any == any => {
                            body.push(' ');
                            body.push_str(&unit.source);
                        }
                        _ => {
                            flush_impl(&mut open_impl, &mut pieces);
                            open_impl = Some((head, unit.source, any));
                        }
                    },
                    None => {
                        flush_impl(&mut open_impl, &mut pieces);
                        // Printed where it was cut, it is used as it is unless it is gated.
                        let printed = unit.printed.filter(|_| any.is_empty());
                        pieces.push(Piece::Item { source: unit.source, depth: 0, features: any, printed });
                    }
                }
            }
            flush_impl(&mut open_impl, &mut pieces);
            if !pieces.is_empty() {
                let name = part_name(&directory, &group, chunk);
                includes[scope].push((cfg, name.clone()));
                parts.push((name, pieces));
            }
        }
    }
    let mut main = Vec::new();
    frame_with_includes(&scopes, 0, &includes, include_prefix, &mut main);
    Arranged { main, parts, features }
}

fn part_name(directory: &str, group: &str, chunk: usize) -> String {
    if chunk == 1 {
        format!("{directory}{group}.rs")
    } else {
        format!("{directory}{group}_{chunk}.rs")
    }
}

fn frame_with_includes(
    scopes: &[Frame],
    at: usize,
    includes: &[Vec<(Option<String>, String)>],
    prefix: &str,
    out: &mut Vec<Piece>,
) {
    let scope = &scopes[at];
    if !scope.header.is_empty() {
        out.push(Piece::Printed(scope.header.clone()));
    }
    let indent = "    ".repeat(scope.depth);
    let mut text = String::new();
    for (feature, part) in &includes[at] {
        if let Some(feature) = feature {
            text.push_str(&format!("{indent}#[cfg(feature = \"{feature}\")]\n"));
        }
        text.push_str(&format!("{indent}include!(\"{prefix}{part}\");\n"));
    }
    out.push(Piece::Printed(text));
    for &child in &scope.children {
        frame_with_includes(scopes, child, includes, prefix, out);
    }
    if !scope.footer.is_empty() {
        out.push(Piece::Printed(scope.footer.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{format_ident, quote};

    fn text(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|piece| match piece {
                Piece::Printed(text) => text.clone(),
                Piece::Item { source, .. } => source.clone(),
            })
            .collect()
    }

    #[test]
    fn a_large_module_without_operations_is_cut_into_parts_without_features() {
        // About 1.5 MB of types, as a webhooks module has: no tags, so no features.
        let doc = "x".repeat(2_000);
        let structs = (0..750usize).map(|i| {
            let name = format_ident!("Payload{}", i);
            quote! { #[doc = #doc] pub struct #name { pub id: String } }
        });
        let tokens = quote! { pub mod types { #(#structs)* } };
        let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
        let root = crate::generate::format::cut_file(&trees).unwrap();
        let arranged = arrange(root, &[], TagLayout::Auto, "webhooks/");
        assert!(arranged.features.is_empty());
        assert!(arranged.parts.len() >= 3, "{:?}", arranged.parts.iter().map(|p| &p.0).collect::<Vec<_>>());
        let main = text(&arranged.main);
        for (path, pieces) in &arranged.parts {
            assert!(path.starts_with("types/shared_items"), "{path}");
            assert!(main.contains(&format!("include!(\"webhooks/{path}\")")), "{main}");
            assert!(text(pieces).len() < FILE_LIMIT, "{path} is over the limit");
        }
        assert!(!main.contains("cfg(feature"), "always compiled: {main}");
        let all: String = arranged.parts.iter().map(|(_, pieces)| text(pieces)).collect();
        assert_eq!(all.matches("pub struct Payload").count(), 750, "every item once");
    }
}
