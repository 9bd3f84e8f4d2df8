//! What an item is, read from its tokens: the name it defines or the type it implements for,
//! and every name it mentions. Enough to follow references between items without building a
//! syntax tree of the whole client (see [`super`]).

use rustc_hash::FxHashSet as HashSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::text_tokens::{self, Tree};

/// The kind of a top-level item, as far as [`super`] needs to tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `struct`, `enum`, `type`, `fn`, `const`, `static`, `trait`, `union`, `mod`.
    Definition,
    /// `struct` only (a subset of definitions that roots request types).
    Struct,
    /// `impl Trait for Type`.
    TraitImpl,
    /// `impl Type`.
    InherentImpl,
    /// `use`, macros and anything else: never moved behind a feature.
    Other,
}

/// A method of an inherent `impl` block, kept apart so operation methods can be grouped by tag.
#[derive(Clone, Debug)]
pub struct Method {
    /// The method's name.
    pub name: String,
    /// The method's tokens as text.
    pub source: String,
    /// Every identifier it mentions.
    pub names: Vec<String>,
}

/// An item's shape.
#[derive(Clone, Debug)]
pub struct Shape {
    /// What kind of item it is.
    pub kind: Kind,
    /// The name it defines, or for an `impl`, the last name of the type it is for.
    pub key: Option<String>,
    /// Every identifier it mentions, and those in its non-doc string attributes
    /// (`#[serde(default = "defaults::x")]` names a function).
    pub names: Vec<String>,
    /// For an inherent `impl` (when asked for): the tokens before its body and its methods.
    pub split: Option<(String, Vec<Method>)>,
}

/// Reads the shape of one item from its tokens and its text (the tokens as printed, which the
/// names are read from: see [`text_tokens`]). `methods` asks for an inherent impl's methods
/// apart.
pub fn shape(item: &[TokenTree], text: &str, methods: bool) -> Shape {
    let rest = skip_attributes_and_visibility(item);
    let (kind, key) = match rest {
        [TokenTree::Ident(word), ..] if word == "impl" => impl_target(&rest[1..]),
        _ => definition(rest),
    };
    let split = (methods && kind == Kind::InherentImpl).then(|| split_methods(item)).flatten();
    let is_enum = matches!(rest, [TokenTree::Ident(word), ..] if word == "enum");
    Shape { kind, key, names: names_in(text, is_enum), split }
}

pub(super) fn skip_attributes_and_visibility(mut item: &[TokenTree]) -> &[TokenTree] {
    loop {
        match item {
            [TokenTree::Punct(hash), TokenTree::Group(group), rest @ ..]
                if hash.as_char() == '#' && group.delimiter() == Delimiter::Bracket =>
            {
                item = rest;
            }
            [TokenTree::Ident(word), TokenTree::Group(group), rest @ ..]
                if word == "pub" && group.delimiter() == Delimiter::Parenthesis =>
            {
                item = rest;
            }
            [TokenTree::Ident(word), rest @ ..] if word == "pub" || word == "unsafe" || word == "async" => item = rest,
            _ => return item,
        }
    }
}

fn definition(rest: &[TokenTree]) -> (Kind, Option<String>) {
    const DEFINES: [&str; 9] = ["struct", "enum", "type", "fn", "const", "static", "trait", "union", "mod"];
    match rest {
        [TokenTree::Ident(word), TokenTree::Ident(name), ..] if DEFINES.contains(&word.to_string().as_str()) => {
            let kind = if word == "struct" { Kind::Struct } else { Kind::Definition };
            (kind, Some(name.to_string()))
        }
        _ => (Kind::Other, None),
    }
}

/// `impl<...> [Trait for] Type<...> [where ...] { ... }`: the kind and `Type`'s last name.
/// When `Type` is another crate's (`for ::std::option::Option<Pet>`, allowed because the
/// trait's argument is local), the impl belongs with the trait's argument instead
/// (`From<PetRef>`: `PetRef`).
fn impl_target(after_impl: &[TokenTree]) -> (Kind, Option<String>) {
    let mut depth = 0usize;
    let mut last_ident = None;
    let mut trait_argument = None;
    let mut trait_impl = false;
    let mut foreign_self = false;
    let mut previous_dash = false;
    let mut previous: Option<&TokenTree> = None;
    for tree in after_impl {
        match tree {
            TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
            // `->` inside generics (`Fn() -> T`) does not close a bracket.
            TokenTree::Punct(p) if p.as_char() == '>' && !previous_dash => depth = depth.saturating_sub(1),
            TokenTree::Punct(p) if p.as_char() == ':' && trait_impl && depth == 0 => {
                foreign_self |= matches!(previous, Some(TokenTree::Ident(word)) if word == "for");
            }
            TokenTree::Ident(word) if depth == 0 && word == "for" => {
                trait_impl = true;
                last_ident = None;
            }
            TokenTree::Ident(word) if depth == 0 && word == "where" => break,
            TokenTree::Ident(word) if depth == 0 => last_ident = Some(word.to_string()),
            TokenTree::Ident(word) if depth == 1 && !trait_impl => trait_argument = Some(word.to_string()),
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => break,
            _ => {}
        }
        previous_dash = matches!(tree, TokenTree::Punct(p) if p.as_char() == '-');
        previous = Some(tree);
    }
    if !trait_impl {
        return (Kind::InherentImpl, last_ident);
    }
    (Kind::TraitImpl, if foreign_self { trait_argument.or(last_ident) } else { last_ident })
}

/// The tokens before an impl's body, and its methods (attributes and doc comments included).
fn split_methods(item: &[TokenTree]) -> Option<(String, Vec<Method>)> {
    let (body_at, body) = item.iter().enumerate().find_map(|(i, tree)| match tree {
        TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => Some((i, group.stream())),
        _ => None,
    })?;
    let head = item[..body_at].iter().cloned().collect::<TokenStream>().to_string();
    let trees: Vec<TokenTree> = body.into_iter().collect();
    let mut methods = Vec::new();
    for method in crate::generate::format::split_items(&trees) {
        let rest = skip_attributes_and_visibility(method);
        let name = match rest {
            [TokenTree::Ident(word), TokenTree::Ident(name), ..] if word == "fn" => name.to_string(),
            // Anything but a method (an associated const or type) keeps the block whole.
            _ => return None,
        };
        let source = method.iter().cloned().collect::<TokenStream>().to_string();
        methods.push(Method { name, names: names_in(&source, false), source });
    }
    Some((head, methods))
}

/// Every identifier in `text` (an item's tokens as printed), once, in order of first
/// appearance.
///
/// Names that cannot refer to an item are left out, as a variant `Repository` would otherwise
/// tie its enum to the struct `Repository`: an enum's variant names, and what follows
/// `Type::` or `Self::` (a variant or an associated item).
fn names_in(text: &str, is_enum: bool) -> Vec<String> {
    let trees = text_tokens::trees(text);
    let mut seen = HashSet::default();
    let mut out = Vec::new();
    if is_enum {
        // The body is the item's last brace group; each variant's first name is its own.
        let body_at = trees.iter().rposition(|t| matches!(t, Tree::Group('{', _)));
        if let Some(at) = body_at {
            collect(&trees[..at], false, &mut seen, &mut out);
            let Tree::Group(_, body) = &trees[at] else { unreachable!("found above") };
            for variant in body.split(|t| *t == Tree::Punct(',')) {
                let after_attributes = skip_attributes_in_text(variant);
                let attributes = &variant[..variant.len() - after_attributes.len()];
                collect(attributes, false, &mut seen, &mut out);
                collect(after_attributes.get(1..).unwrap_or_default(), false, &mut seen, &mut out);
            }
            collect(&trees[at + 1..], false, &mut seen, &mut out);
            return out;
        }
    }
    collect(&trees, false, &mut seen, &mut out);
    out
}

/// [`skip_attributes_and_visibility`], on text trees.
pub(super) fn skip_attributes_in_text<'t, 'a>(mut item: &'t [Tree<'a>]) -> &'t [Tree<'a>] {
    loop {
        match item {
            [Tree::Punct('#'), Tree::Group('[', _), rest @ ..]
            | [Tree::Ident("pub"), Tree::Group('(', _), rest @ ..] => item = rest,
            [Tree::Ident("pub" | "unsafe" | "async"), rest @ ..] => item = rest,
            _ => return item,
        }
    }
}

/// Whether the name at `i` follows `Type::` (an uppercase path segment, `Self` included): a
/// variant or an associated item, not a type.
pub(super) fn follows_type(trees: &[Tree<'_>], i: usize) -> bool {
    i >= 3
        && trees[i - 1] == Tree::Punct(':')
        && trees[i - 2] == Tree::Punct(':')
        && matches!(trees[i - 3], Tree::Ident(segment) if segment.starts_with(char::is_uppercase))
}

/// `in_attribute`: inside `#[...]`, where a string can name a function
/// (`serde(default = "...")`); elsewhere strings are data (an operation's id).
fn collect<'a>(trees: &[Tree<'a>], in_attribute: bool, seen: &mut HashSet<&'a str>, out: &mut Vec<String>) {
    fn add<'a>(name: &'a str, seen: &mut HashSet<&'a str>, out: &mut Vec<String>) {
        if seen.insert(name) {
            out.push(name.to_string());
        }
    }
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            Tree::Ident(name) => {
                if !follows_type(trees, i) {
                    add(name, seen, out);
                }
            }
            Tree::Group(open, inner) => {
                // A doc comment's words are prose, not references.
                let is_attribute = *open == '[' && i > 0 && matches!(trees[i - 1], Tree::Punct('#' | '!'));
                let is_doc = is_attribute && matches!(inner.first(), Some(Tree::Ident("doc")));
                if !is_doc {
                    collect(inner, in_attribute || is_attribute, seen, out);
                }
            }
            Tree::Str(text) if in_attribute => {
                for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                    if word.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') {
                        add(word, seen, out);
                    }
                }
            }
            Tree::Punct(_) | Tree::Str(_) | Tree::Literal(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn of(tokens: TokenStream) -> Shape {
        let text = tokens.to_string();
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        shape(&trees, &text, true)
    }

    #[test]
    fn definitions_are_keyed_by_their_name() {
        let s = of(quote!(
            #[derive(Debug)]
            pub(crate) struct Pet {
                pub owner: Option<Owner>,
            }
        ));
        assert_eq!((s.kind, s.key.as_deref()), (Kind::Struct, Some("Pet")));
        assert!(s.names.contains(&"Owner".to_string()), "{:?}", s.names);
        let s = of(quote!(
            pub async fn list() {}
        ));
        assert_eq!((s.kind, s.key.as_deref()), (Kind::Definition, Some("list")));
        assert_eq!(
            of(quote!(
                use super::types;
            ))
            .kind,
            Kind::Other
        );
    }

    #[test]
    fn impls_are_keyed_by_the_type_they_are_for() {
        let s = of(quote!(impl ::std::convert::TryFrom<builder::Pet> for super::Pet { }));
        assert_eq!((s.kind, s.key.as_deref()), (Kind::TraitImpl, Some("Pet")));
        let s = of(quote!(impl ::std::convert::From<PetRef> for ::std::option::Option<Pet> { }));
        assert_eq!((s.kind, s.key.as_deref()), (Kind::TraitImpl, Some("PetRef")));
        let s = of(quote!(
            impl<'a, F: Fn() -> u8> Builder<'a, F> where F: Send {}
        ));
        assert_eq!((s.kind, s.key.as_deref()), (Kind::InherentImpl, Some("Builder")));
    }

    #[test]
    fn names_in_serde_attributes_count_and_doc_words_do_not() {
        let s = of(quote! {
            #[doc = "Mentions Owner"]
            pub struct Pet { #[serde(default = "defaults::pet_age")] pub age: u8 }
        });
        assert!(s.names.contains(&"pet_age".to_string()) && s.names.contains(&"defaults".to_string()));
        assert!(!s.names.contains(&"Owner".to_string()), "{:?}", s.names);
        let s = of(quote! {
            pub enum Source { #[serde(rename = "repository")] Repository, Owner(Owner), Other { team: Team } }
        });
        assert!(!s.names.contains(&"Repository".to_string()), "a variant, not the struct: {:?}", s.names);
        assert!(["Owner", "Team", "serde"].iter().all(|n| s.names.contains(&n.to_string())), "{:?}", s.names);
        let s = of(
            quote!(impl Source { fn f(&self) -> u8 { match self { Self::Repository => 1, Source::Owner(_) => 2 } } }),
        );
        assert!(!s.names.contains(&"Repository".to_string()) && !s.names.contains(&"Owner".to_string()));
        let s = of(quote!(
            static OPERATIONS: &[&str] = &["list_pets"];
        ));
        assert!(!s.names.contains(&"list_pets".to_string()), "data, not a reference: {:?}", s.names);
    }

    #[test]
    fn an_inherent_impl_splits_into_its_methods() {
        let s = of(quote! {
            impl Client {
                #[doc = "Lists pets."]
                pub fn list_pets(&self) -> builder::ListPets<'_> { builder::ListPets::new(self) }
                pub fn get_pet(&self) -> builder::GetPet<'_> { builder::GetPet::new(self) }
            }
        });
        let (head, methods) = s.split.unwrap();
        assert_eq!(head, "impl Client");
        let names: Vec<&str> = methods.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["list_pets", "get_pet"]);
        assert!(methods[0].source.starts_with("# [doc = \"Lists pets.\"]"), "{}", methods[0].source);
        assert!(methods[1].names.contains(&"GetPet".to_string()));
        assert!(of(quote!(impl Client { const X: u8 = 1; fn f() {} })).split.is_none());
    }
}
