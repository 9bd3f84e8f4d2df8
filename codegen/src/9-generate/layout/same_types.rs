//! Types with the same definition become one type: the first keeps its items, and each other
//! one becomes `pub type Other = First;`, with its own doc comment, in `types` and (when it
//! has a builder) in `types::builder`.
//!
//! Vendors repeat inline schemas: GitHub's spec writes one `enabled`/`disabled`/`not_set`
//! enum out 84 times, and typify makes each a type with its own `Deserialize`, `Serialize`,
//! `Display`, `FromStr` and conversions. Type-checking time grows with the code emitted, and a
//! third of a large client's types can be such copies. Every name stays (as an alias), so
//! code written against the client reads the same; what changes is documented in the README
//! (a value's `Debug` prints the first type's name, and an alias is not a tuple struct's
//! constructor, so tuple structs with public fields are never merged).
//!
//! Two types are the same when their items (definition, impls, builder and its impls, and a
//! trait impl for a primitive such as `impl From<Seconds> for i64`) have the same tokens, the
//! definition's own doc comment aside, once every mention of a type is replaced by that type's
//! class. Classes are
//! refined until they are stable (Moore's partition refinement, as DFA minimization does), so
//! types that mention themselves or each other (a recursive `Comment` and its copy) merge as
//! well. What the item fixes do to a type because of its name rather than its tokens (a secret
//! field, a three-state field, setter docs) is part of its signature, so types treated
//! differently never merge. Merging two types can make two `From` impls of an untagged enum
//! the same impl; such types are kept apart.

use std::collections::{HashMap, HashSet};

use proc_macro2::{TokenStream, TokenTree};

use super::shape::{follows_type, skip_attributes_in_text, Kind};
use super::text_tokens::{self, Tree};
use super::{child, child_mut};
use crate::generate::format::{CutItem, Entry, Scope};

/// The scopes read: `types` and `types::builder`.
const TYPES: usize = 0;
const BUILDERS: usize = 1;

/// A struct or enum of `types`.
struct Definition {
    name: String,
    /// Its index in `types`.
    at: usize,
    /// Its doc attributes, as tokens in text, for its alias.
    docs: String,
    /// Whether it may become an alias (see the module's doc).
    mergeable: bool,
    /// Its items (indexes in [`Reading::items`]), the definition first.
    items: Vec<usize>,
}

/// One item of a type, read for comparison.
struct ItemRead {
    /// Scope ([`TYPES`] or [`BUILDERS`]) and index there.
    at: (usize, usize),
    template: Template,
    /// For a trait impl: the tokens before its body, to find impls that would overlap.
    head: Option<Template>,
}

/// Tokens as text with every mention of a type written `$`, and the types mentioned in order
/// (indexes in [`Reading::definitions`]).
#[derive(Default)]
struct Template {
    text: String,
    mentions: Vec<usize>,
}

struct Reading {
    definitions: Vec<Definition>,
    items: Vec<ItemRead>,
}

/// Merges the identical types of `root`'s `types` module; returns how many became aliases.
/// `treatment` tells what the item fixes do to a type because of its name.
pub(crate) fn merge_identical_types(root: &mut Scope, treatment: &dyn Fn(&str) -> String) -> usize {
    let Some(types) = child_mut(root, "types") else { return 0 };
    let reading = read(types);
    let mut apart: Vec<bool> = reading.definitions.iter().map(|d| !d.mergeable).collect();
    let treatments: Vec<String> = reading.definitions.iter().map(|d| treatment(&d.name)).collect();
    let classes = loop {
        let classes = refine(&reading, &treatments, &apart);
        let overlapping = overlapping(&reading, &classes);
        if overlapping.is_empty() {
            break classes;
        }
        for d in overlapping {
            apart[d] = true;
        }
    };
    rewrite(types, &reading, &classes)
}

/// Finds the definitions of `types` and reads every item that belongs to one, from its text
/// (the cut keeps no tokens of `types`: see [`text_tokens`]), one item at a time.
fn read(types: &Scope) -> Reading {
    let builders = child(types, "builder");
    let scopes: Vec<&Scope> = std::iter::once(types).chain(builders).collect();

    let mut definitions: Vec<Definition> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut repeated: HashSet<usize> = HashSet::new();
    for (at, entry) in types.entries.iter().enumerate() {
        let Entry::Item(item) = entry else { continue };
        if item.shape.key.is_none() || !matches!(item.shape.kind, Kind::Struct | Kind::Definition) {
            continue;
        }
        let head = text_tokens::head(&item.source);
        let Some((name, mergeable)) = struct_or_enum(&head) else { continue };
        let d = definitions.len();
        if let Some(&earlier) = by_name.get(&name) {
            repeated.extend([earlier, d]);
        }
        by_name.insert(name.clone(), d);
        definitions.push(Definition { name, at, docs: docs(&head), mergeable, items: Vec::new() });
    }
    for d in repeated {
        definitions[d].mergeable = false;
    }

    let mut items = Vec::new();
    let mut unmergeable = Vec::new();
    for (scope, entries) in scopes.iter().enumerate() {
        for (at, entry) in entries.entries.iter().enumerate() {
            let Entry::Item(item) = entry else { continue };
            let Some(key) = &item.shape.key else { continue };
            let trees = text_tokens::trees(&item.source);
            let head = (item.shape.kind == Kind::TraitImpl).then(|| {
                let body = trees.iter().position(|t| matches!(t, Tree::Group('{', _))).unwrap_or(trees.len());
                let mut head = Template::default();
                write(&trees[..body], &by_name, &mut head);
                head
            });
            let d = match (by_name.get(key), &head) {
                (Some(&d), _) => d,
                // A trait impl for a type of no definition here (`impl From<Seconds> for i64`)
                // belongs to the one type its head mentions; if it mentions several, none of
                // them may merge, as the impl would stay for each.
                (None, Some(head)) => {
                    let mut mentioned = head.mentions.clone();
                    mentioned.sort_unstable();
                    mentioned.dedup();
                    match mentioned.as_slice() {
                        [] => continue,
                        [d] => *d,
                        several => {
                            unmergeable.extend_from_slice(several);
                            continue;
                        }
                    }
                }
                (None, None) => continue,
            };
            let is_definition = scope == TYPES && definitions[d].at == at;
            let template = template_of(&trees, is_definition, &by_name);
            let index = items.len();
            items.push(ItemRead { at: (scope, at), template, head });
            if is_definition {
                definitions[d].items.insert(0, index);
            } else {
                definitions[d].items.push(index);
            }
        }
    }
    for d in unmergeable {
        definitions[d].mergeable = false;
    }
    Reading { definitions, items }
}

/// A struct's or enum's name, and whether it may become an alias: not generic, and not a
/// tuple struct with a public field (an alias cannot construct it).
fn struct_or_enum(head: &[Tree<'_>]) -> Option<(String, bool)> {
    match skip_attributes_in_text(head) {
        [Tree::Ident(word @ ("struct" | "enum")), Tree::Ident(name), rest @ ..] => {
            let generic = matches!(rest.first(), Some(Tree::Punct('<')));
            let public_tuple = *word == "struct"
                && matches!(rest.first(), Some(Tree::Group('(', fields)) if fields.contains(&Tree::Ident("pub")));
            Some((name.to_string(), !generic && !public_tuple))
        }
        _ => None,
    }
}

fn is_doc(hash: &Tree<'_>, group: &Tree<'_>) -> bool {
    matches!(hash, Tree::Punct('#'))
        && matches!(group, Tree::Group('[', inner) if inner.first() == Some(&Tree::Ident("doc")))
}

/// The doc attributes before a definition, as tokens in text (`#[doc = "…"]`, for its alias).
fn docs(head: &[Tree<'_>]) -> String {
    let attributes = &head[..head.len() - skip_attributes_in_text(head).len()];
    let mut out = String::new();
    for pair in attributes.windows(2).filter(|pair| is_doc(&pair[0], &pair[1])) {
        if let Tree::Group(_, inner) = &pair[1] {
            out.push_str("#[");
            // A doc attribute is `doc = "…"`: no group inside.
            for tree in inner {
                write_plain(tree, &mut out);
                out.push(' ');
            }
            out.push_str("] ");
        }
    }
    out
}

/// An item's template. A definition's own doc comment is left out (its alias keeps it), and so
/// are an enum's variant names from the mentions (the variant `Repository` is not the struct).
fn template_of(trees: &[Tree<'_>], is_definition: bool, names: &HashMap<String, usize>) -> Template {
    let mut out = Template::default();
    if !is_definition {
        write(trees, names, &mut out);
        return out;
    }
    let rest = skip_attributes_in_text(trees);
    let attributes = &trees[..trees.len() - rest.len()];
    let mut i = 0;
    while i < attributes.len() {
        if i + 1 < attributes.len() && is_doc(&attributes[i], &attributes[i + 1]) {
            i += 2;
        } else {
            write(&attributes[i..=i], names, &mut out);
            i += 1;
        }
    }
    let is_enum = matches!(rest.first(), Some(Tree::Ident("enum")));
    let body = rest.iter().rposition(|t| matches!(t, Tree::Group('{', _)));
    match body {
        Some(at) if is_enum => {
            write(&rest[..at], names, &mut out);
            let Tree::Group(_, variants) = &rest[at] else { unreachable!("found above") };
            out.text.push('{');
            for variant in variants.split(|t| *t == Tree::Punct(',')) {
                let after_attributes = skip_attributes_in_text(variant);
                write(&variant[..variant.len() - after_attributes.len()], names, &mut out);
                if let Some((name, fields)) = after_attributes.split_first() {
                    write_plain(name, &mut out.text);
                    out.text.push(' ');
                    write(fields, names, &mut out);
                }
                out.text.push(',');
            }
            out.text.push('}');
            write(&rest[at + 1..], names, &mut out);
        }
        _ => write(rest, names, &mut out),
    }
    out
}

/// A token as written, not as a mention (a variant's name, a doc attribute's); a group (which
/// neither has) writes nothing.
fn write_plain(tree: &Tree<'_>, out: &mut String) {
    match tree {
        Tree::Ident(text) | Tree::Str(text) | Tree::Literal(text) => out.push_str(text),
        Tree::Punct(c) => out.push(*c),
        Tree::Group(..) => {}
    }
}

/// Writes `trees` into `out`, mentions of types as `$`. A name after `Type::` (a variant or an
/// associated item) is not a mention.
fn write(trees: &[Tree<'_>], names: &HashMap<String, usize>, out: &mut Template) {
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            Tree::Ident(text) => {
                match names.get(*text) {
                    Some(&d) if !follows_type(trees, i) => {
                        out.text.push('$');
                        out.mentions.push(d);
                    }
                    _ => out.text.push_str(text),
                }
                out.text.push(' ');
            }
            Tree::Group(open, inner) => {
                let close = match open {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                out.text.push(*open);
                write(inner, names, out);
                out.text.push(close);
            }
            Tree::Punct(c) => out.text.push(*c),
            Tree::Str(text) | Tree::Literal(text) => {
                out.text.push_str(text);
                out.text.push(' ');
            }
        }
    }
}

/// The class of every definition: equal classes, same type.
fn refine(reading: &Reading, treatments: &[String], apart: &[bool]) -> Vec<usize> {
    // The tokens of each type's items, with what the fixes do by name; a type kept apart adds
    // its own name, which no other type has.
    let mut interned: HashMap<String, usize> = HashMap::new();
    let mut mentions: Vec<Vec<usize>> = Vec::with_capacity(reading.definitions.len());
    let mut classes: Vec<usize> = Vec::with_capacity(reading.definitions.len());
    for (d, definition) in reading.definitions.iter().enumerate() {
        let mut text = String::new();
        let mut mentioned = Vec::new();
        for &i in &definition.items {
            let item = &reading.items[i];
            text.push_str(if item.at.0 == TYPES { "\u{1}types " } else { "\u{1}builder " });
            text.push_str(&item.template.text);
            mentioned.extend(&item.template.mentions);
        }
        text.push('\u{2}');
        text.push_str(&treatments[d]);
        if apart[d] {
            text.push('\u{3}');
            text.push_str(&definition.name);
        }
        let next = interned.len();
        classes.push(*interned.entry(text).or_insert(next));
        mentions.push(mentioned);
    }
    let mut count = interned.len();
    loop {
        let mut signatures: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
        let next: Vec<usize> = (0..classes.len())
            .map(|d| {
                let signature = (classes[d], mentions[d].iter().map(|&m| classes[m]).collect());
                let fresh = signatures.len();
                *signatures.entry(signature).or_insert(fresh)
            })
            .collect();
        classes = next;
        if signatures.len() == count {
            return classes;
        }
        count = signatures.len();
    }
}

/// The first definition of each class (the one that stays).
fn canonical(classes: &[usize]) -> Vec<usize> {
    let mut first: HashMap<usize, usize> = HashMap::new();
    classes.iter().enumerate().map(|(d, class)| *first.entry(*class).or_insert(d)).collect()
}

/// Types that must stay apart: merging them would make two trait impls of a type that stays
/// the same impl (`From<A>` and `From<B>` of an untagged enum when `A` and `B` merge).
/// Of two such types, the later one.
fn overlapping(reading: &Reading, classes: &[usize]) -> Vec<usize> {
    let canonical = canonical(classes);
    let mut out = Vec::new();
    for (d, definition) in reading.definitions.iter().enumerate() {
        if canonical[d] != d {
            continue;
        }
        let mut seen: HashMap<(usize, &str, Vec<usize>), &Template> = HashMap::new();
        for &i in &definition.items {
            let item = &reading.items[i];
            let Some(head) = &item.head else { continue };
            let key = (item.at.0, head.text.as_str(), head.mentions.iter().map(|&m| classes[m]).collect());
            if let Some(earlier) = seen.insert(key, head) {
                // The later of the two is kept apart; the earlier may still merge with others.
                for (&a, &b) in earlier.mentions.iter().zip(&head.mentions) {
                    if a != b {
                        out.push(a.max(b));
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Replaces every type that is not the first of its class by an alias of the first.
fn rewrite(types: &mut Scope, reading: &Reading, classes: &[usize]) -> usize {
    let canonical = canonical(classes);
    let mut dropped: [HashSet<usize>; 2] = [HashSet::new(), HashSet::new()];
    let mut aliases: [HashMap<usize, CutItem>; 2] = [HashMap::new(), HashMap::new()];
    let mut merged = 0;
    for (d, definition) in reading.definitions.iter().enumerate() {
        let first = &reading.definitions[canonical[d]];
        if canonical[d] == d {
            continue;
        }
        let in_builders = definition.items.iter().map(|&i| reading.items[i].at).find(|(scope, _)| *scope == BUILDERS);
        let Some(in_types) = alias(&definition.docs, &definition.name, &first.name) else { continue };
        let in_builders = match in_builders {
            Some((_, at)) => match alias("", &definition.name, &first.name) {
                Some(item) => Some((at, item)),
                None => continue,
            },
            None => None,
        };
        merged += 1;
        for &i in &definition.items {
            let (scope, at) = reading.items[i].at;
            dropped[scope].insert(at);
        }
        aliases[TYPES].insert(definition.at, in_types);
        if let Some((at, item)) = in_builders {
            aliases[BUILDERS].insert(at, item);
        }
    }
    if merged == 0 {
        return 0;
    }
    let [dropped_types, dropped_builders] = dropped;
    let [aliases_types, aliases_builders] = aliases;
    if let Some(builders) = child_mut(types, "builder") {
        replace(builders, &dropped_builders, aliases_builders);
    }
    replace(types, &dropped_types, aliases_types);
    merged
}

fn replace(scope: &mut Scope, dropped: &HashSet<usize>, mut aliases: HashMap<usize, CutItem>) {
    let entries = std::mem::take(&mut scope.entries);
    for (at, entry) in entries.into_iter().enumerate() {
        if let Some(alias) = aliases.remove(&at) {
            scope.entries.push(Entry::Item(alias));
        } else if !dropped.contains(&at) {
            scope.entries.push(entry);
        }
    }
}

/// `pub type name = first;` with `docs`; `None` if that does not tokenize (it always should:
/// the names and docs come from tokens).
/// The item `pub type {name} = {first};` after the doc attributes `docs` (tokens as text).
pub(crate) fn alias(docs: &str, name: &str, first: &str) -> Option<CutItem> {
    let trees: Vec<TokenTree> =
        format!("{docs} pub type {name} = {first};").parse::<TokenStream>().ok()?.into_iter().collect();
    Some(CutItem::of(trees, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// The `types` module's items after merging, as text, and how many merged.
    fn merged(types: TokenStream, treatment: &dyn Fn(&str) -> String) -> (Vec<String>, usize) {
        let trees: Vec<TokenTree> = quote!(pub mod types { #types }).into_iter().collect();
        let mut root = crate::generate::format::cut_file(&trees).unwrap();
        let count = merge_identical_types(&mut root, treatment);
        let mut out = Vec::new();
        let mut pieces = Vec::new();
        crate::generate::format::flatten(root, &mut pieces);
        for piece in pieces {
            if let crate::generate::format::Piece::Item { source, .. } = piece {
                out.push(source);
            }
        }
        (out, count)
    }

    fn same(_: &str) -> String {
        String::new()
    }

    fn has(items: &[String], text: &str) -> bool {
        let text: String = text.parse::<TokenStream>().unwrap().to_string();
        items.contains(&text)
    }

    #[test]
    fn a_copy_becomes_an_alias_with_its_own_doc_and_its_builder_too() {
        let (items, count) = merged(
            quote! {
                #[doc = "Issues"]
                #[derive(Debug)]
                pub struct IssueState { pub open: bool }
                impl From<&IssueState> for IssueState { fn from(v: &IssueState) -> Self { v.clone() } }
                #[doc = "Pulls"]
                #[derive(Debug)]
                pub struct PullState { pub open: bool }
                impl From<&PullState> for PullState { fn from(v: &PullState) -> Self { v.clone() } }
                pub struct Other { pub open: u8 }
                pub mod builder {
                    pub struct IssueState { open: Result<bool, String> }
                    impl From<super::IssueState> for IssueState { fn from(v: super::IssueState) -> Self { todo!() } }
                    pub struct PullState { open: Result<bool, String> }
                    impl From<super::PullState> for PullState { fn from(v: super::PullState) -> Self { todo!() } }
                }
            },
            &same,
        );
        assert_eq!(count, 1, "{items:#?}");
        assert!(has(&items, r#"#[doc = "Pulls"] pub type PullState = IssueState;"#), "{items:#?}");
        assert!(has(&items, "pub type PullState = IssueState;"), "the builder's alias: {items:#?}");
        assert!(!items.iter().any(|i| i.contains("for PullState")), "its impls go: {items:#?}");
        assert_eq!(items.iter().filter(|i| i.contains("for IssueState")).count(), 2, "{items:#?}");
        assert!(items.iter().any(|i| i.contains("struct Other")), "a different type stays: {items:#?}");
    }

    #[test]
    fn an_impl_for_a_primitive_goes_with_the_type_it_converts() {
        let (items, count) = merged(
            quote! {
                pub struct UndoSeconds(i64);
                impl ::std::convert::From<UndoSeconds> for i64 { fn from(v: UndoSeconds) -> Self { v.0 } }
                pub struct DelaySeconds(i64);
                impl ::std::convert::From<DelaySeconds> for i64 { fn from(v: DelaySeconds) -> Self { v.0 } }
                pub struct Pair(i64);
                pub struct Marker;
                impl ::std::convert::From<(Pair, Marker)> for i64 { fn from(v: (Pair, Marker)) -> Self { v.0 .0 } }
                pub struct OtherPair(i64);
            },
            &same,
        );
        assert!(has(&items, "pub type DelaySeconds = UndoSeconds;"), "{items:#?}");
        assert!(!items.iter().any(|i| i.contains("From < DelaySeconds >")), "{items:#?}");
        assert!(
            items.iter().any(|i| i.contains("struct OtherPair")),
            "an impl that mentions two types keeps both apart: {items:#?}"
        );
        assert_eq!(count, 1);
    }

    #[test]
    fn types_that_mention_themselves_or_equal_types_merge() {
        let (items, count) = merged(
            quote! {
                pub struct Comment { pub replies: Vec<Comment>, pub author: User }
                pub struct User { pub login: String }
                pub struct ReviewComment { pub replies: Vec<ReviewComment>, pub author: Owner }
                pub struct Owner { pub login: String }
            },
            &same,
        );
        assert_eq!(count, 2, "{items:#?}");
        assert!(
            has(&items, "pub type ReviewComment = Comment;") && has(&items, "pub type Owner = User;"),
            "{items:#?}"
        );
    }

    #[test]
    fn variant_names_are_not_types_so_enums_with_other_variants_stay_apart() {
        // `Open` and `Closed` are types and are the same type, but `A::Open` is not `B::Closed`.
        let (items, count) = merged(
            quote! {
                pub struct Open { pub at: String }
                pub struct Closed { pub at: String }
                pub enum A { Open(String) }
                pub enum B { Closed(String) }
                pub enum C { Open(Open) }
                pub enum D { Open(Closed) }
            },
            &same,
        );
        assert!(has(&items, "pub type Closed = Open;") && has(&items, "pub type D = C;"), "{items:#?}");
        assert!(items.iter().any(|i| i.contains("enum B")), "{items:#?}");
        assert_eq!(count, 2);
    }

    #[test]
    fn types_whose_merge_would_make_two_impls_one_stay_apart() {
        let (items, count) = merged(
            quote! {
                pub struct ByName { pub name: String }
                pub struct ById { pub name: String }
                pub enum Selector { A(ByName), B(ById) }
                impl From<ByName> for Selector { fn from(v: ByName) -> Self { Self::A(v) } }
                impl From<ById> for Selector { fn from(v: ById) -> Self { Self::B(v) } }
                pub struct Third { pub name: String }
            },
            &same,
        );
        assert!(items.iter().any(|i| i.contains("struct ByName")) && items.iter().any(|i| i.contains("struct ById")));
        assert!(has(&items, "pub type Third = ByName;"), "others still merge: {items:#?}");
        assert_eq!(count, 1, "{items:#?}");
    }

    #[test]
    fn types_the_fixes_treat_differently_or_an_alias_cannot_stand_for_stay_apart() {
        let types = quote! {
            pub struct Login { pub password: String }
            pub struct Profile { pub password: String }
            pub struct Id(pub String);
            pub struct Key(pub String);
            pub struct Token(String);
            pub struct Secret(String);
        };
        let treatment = |name: &str| if name == "Login" { "secret: password".to_string() } else { String::new() };
        let (items, count) = merged(types, &treatment);
        assert!(items.iter().any(|i| i.contains("struct Profile")), "{items:#?}");
        assert!(items.iter().any(|i| i.contains("struct Key")), "a public tuple field: {items:#?}");
        assert!(has(&items, "pub type Secret = Token;"), "{items:#?}");
        assert_eq!(count, 1);
    }
}
