//! The public items of a generated crate, and how they changed: what a release note needs.

use std::collections::BTreeMap;
use std::path::Path;

use quote::ToTokens;
use serde::Serialize;

/// How an item changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemChangeKind {
    /// New public item.
    Added,
    /// Public item gone.
    Removed,
    /// Same path, different signature.
    Changed,
}

impl ItemChangeKind {
    /// A short word for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// One changed public item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    /// Added, removed or changed.
    pub kind: ItemChangeKind,
    /// `supermetrics::management::Client::create_login_link`.
    pub path: String,
}

/// Public items by path, with their signature, of the `.rs` files of a crate's `src/`
/// (paths relative to the crate root, as in a generated file set).
pub fn public_items<'a>(files: impl IntoIterator<Item = (&'a Path, &'a str)>) -> BTreeMap<String, String> {
    let mut items = BTreeMap::new();
    for (path, source) in files {
        let Some(module) = module_of(path) else { continue };
        let Ok(file) = syn::parse_file(source) else { continue };
        collect(&file.items, &module, &mut items);
    }
    items
}

fn module_of(path: &Path) -> Option<String> {
    let relative = path.strip_prefix("src").ok()?;
    if relative.extension()? != "rs" {
        return None;
    }
    let mut parts: Vec<String> = relative.with_extension("").iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    Some(parts.join("::"))
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn path(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

fn collect(items: &[syn::Item], module: &str, out: &mut BTreeMap<String, String>) {
    for item in items {
        match item {
            syn::Item::Fn(f) if is_public(&f.vis) => {
                out.insert(path(module, &f.sig.ident.to_string()), f.sig.to_token_stream().to_string());
            }
            syn::Item::Struct(s) if is_public(&s.vis) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| is_public(&f.vis))
                    .map(|f| {
                        format!(
                            "{}: {}",
                            f.ident.as_ref().map(ToString::to_string).unwrap_or_default(),
                            f.ty.to_token_stream()
                        )
                    })
                    .collect();
                out.insert(path(module, &s.ident.to_string()), format!("struct {{ {} }}", fields.join(", ")));
            }
            syn::Item::Enum(e) if is_public(&e.vis) => {
                let variants: Vec<String> = e.variants.iter().map(|v| v.to_token_stream().to_string()).collect();
                out.insert(path(module, &e.ident.to_string()), format!("enum {{ {} }}", variants.join(", ")));
            }
            syn::Item::Const(c) if is_public(&c.vis) => {
                out.insert(
                    path(module, &c.ident.to_string()),
                    format!("const {} = {}", c.ty.to_token_stream(), c.expr.to_token_stream()),
                );
            }
            syn::Item::Type(t) if is_public(&t.vis) => {
                out.insert(path(module, &t.ident.to_string()), t.ty.to_token_stream().to_string());
            }
            syn::Item::Trait(t) if is_public(&t.vis) => {
                out.insert(path(module, &t.ident.to_string()), format!("trait {}", t.items.len()));
            }
            syn::Item::Mod(m) if is_public(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, &path(module, &m.ident.to_string()), out);
                }
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let owner = i.self_ty.to_token_stream().to_string().replace(' ', "");
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        if is_public(&f.vis) {
                            out.insert(
                                path(module, &format!("{owner}::{}", f.sig.ident)),
                                f.sig.to_token_stream().to_string(),
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The public items added, removed or changed between two crates.
pub fn diff(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<ItemChange> {
    let mut out = Vec::new();
    for (path, signature) in new {
        match old.get(path) {
            None => out.push(ItemChange { kind: ItemChangeKind::Added, path: path.clone() }),
            Some(before) if before != signature => {
                out.push(ItemChange { kind: ItemChangeKind::Changed, path: path.clone() })
            }
            Some(_) => {}
        }
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        out.push(ItemChange { kind: ItemChangeKind::Removed, path: path.clone() });
    }
    out.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    out
}
