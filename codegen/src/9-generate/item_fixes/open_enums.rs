//! String enums that keep the values a vendor adds later.
//!
//! typify's string enums fail a whole call on a value the spec does not list. Each gets an
//! `Unknown(String)` variant (`UnknownValue` when a documented value already has that name)
//! that keeps any other value: `#[serde(untagged)]`, so it decodes and serializes as the plain
//! string. It also gets an `as_str()` and the variant's arm in `Display`. `FromStr` and
//! `TryFrom` still accept only documented values, so text turned into a value to send is
//! checked. The enum loses `Copy`. An enum with a serde tagging attribute is an object on the
//! wire, not a string, and is left closed, its `Display` too: since each item is fixed alone,
//! [`collect_tagged_enums`] finds those names first, on the module's tokens.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::{parse_quote, Expr, Pat};

use super::serde_rename;

/// The documented values of a typify string enum (unit variants, serialized by name or
/// `#[serde(rename)]`), or `None` for any other enum.
fn string_enum_values(item: &syn::ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    let derives_deserialize = item
        .attrs
        .iter()
        .any(|a| a.path().is_ident("derive") && a.meta.to_token_stream().to_string().contains("Deserialize"));
    let tagged = item.attrs.iter().any(|a| a.path().is_ident("serde"));
    if !derives_deserialize || tagged || item.variants.is_empty() {
        return None;
    }
    item.variants
        .iter()
        .map(|variant| {
            matches!(variant.fields, syn::Fields::Unit).then(|| {
                let name = serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
                (variant.ident.clone(), name)
            })
        })
        .collect()
}

/// Opens every typify string enum among `items` (and in their modules): see the module docs.
pub(super) fn open_string_enums(items: &mut Vec<syn::Item>) {
    let mut index = 0;
    while index < items.len() {
        if let syn::Item::Mod(module) = &mut items[index] {
            if let Some((_, content)) = &mut module.content {
                open_string_enums(content);
            }
        }
        let syn::Item::Enum(item) = &mut items[index] else {
            index += 1;
            continue;
        };
        let Some(values) = string_enum_values(item) else {
            index += 1;
            continue;
        };
        super::canary::fired(super::canary::Pass::OpenEnums);
        super::remove_derive(&mut item.attrs, "Copy");
        let (idents, texts): (Vec<_>, Vec<_>) = values.into_iter().unzip();
        let unknown = unknown_variant(&idents);
        item.variants.push(parse_quote! {
            /// A value this client does not know: one the vendor added after the client was
            /// generated. It is kept as sent.
            #[serde(untagged)]
            #unknown(::std::string::String)
        });
        let name = &item.ident;
        let as_str: syn::Item = parse_quote! {
            impl #name {
                /// The value as the API spells it, known or not.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#idents => #texts,)*
                        Self::#unknown(value) => value.as_str(),
                    }
                }
            }
        };
        items.insert(index + 1, as_str);
        index += 2;
    }
}

/// Adds to `names` every enum in `tokens` preceded by a `#[serde(...)]` attribute (typify
/// writes one on an enum only to tag it), looking inside module bodies. Other groups (item
/// bodies, function bodies) hold no item definitions in generated code and are not entered:
/// on Microsoft Graph, walking every one of them took 2.9 s.
pub(super) fn collect_tagged_enums(tokens: proc_macro2::TokenStream, names: &mut BTreeSet<String>) {
    let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    collect_tagged_enums_in(&trees, names);
}

/// [`collect_tagged_enums`] over trees already collected, which it only reads.
pub(super) fn collect_tagged_enums_in(trees: &[proc_macro2::TokenTree], names: &mut BTreeSet<String>) {
    use proc_macro2::TokenTree;
    let mut serde_attribute = false;
    let mut previous_was_enum = false;
    for (index, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if previous_was_enum => {
                if serde_attribute {
                    names.insert(ident.to_string());
                }
                (serde_attribute, previous_was_enum) = (false, false);
            }
            TokenTree::Ident(ident) if ident == "enum" => previous_was_enum = true,
            TokenTree::Ident(ident) if ident == "struct" || ident == "fn" || ident == "impl" || ident == "mod" => {
                serde_attribute = false;
            }
            TokenTree::Group(group) if group.delimiter() == proc_macro2::Delimiter::Bracket => {
                let inner = group.stream().into_iter().next();
                if matches!(inner, Some(TokenTree::Ident(ref i)) if i == "serde") {
                    serde_attribute = true;
                }
            }
            TokenTree::Group(group) => {
                serde_attribute = false;
                if crate::generate::format::opens_module_body(trees, index) {
                    collect_tagged_enums(group.stream(), names);
                }
            }
            _ => {}
        }
    }
}

/// typify's `Display` of a string enum (`match *self { Self::A => f.write_str("a"), ... }`)
/// gets the arm of the `Unknown` variant [`open_string_enums`] adds.
pub(super) fn display_unknown_values(block: &mut syn::Block) {
    let [syn::Stmt::Expr(Expr::Match(expr), None)] = block.stmts.as_mut_slice() else { return };
    let on_self = expr.expr.to_token_stream().to_string() == "* self";
    let all_unit_writes = !expr.arms.is_empty()
        && expr.arms.iter().all(|arm| {
            matches!(&arm.pat, Pat::Path(p) if p.path.segments.len() == 2 && p.path.segments[0].ident == "Self")
                && arm.body.to_token_stream().to_string().starts_with("f . write_str (")
        });
    if on_self && all_unit_writes {
        super::canary::fired(super::canary::Pass::UnknownDisplayed);
        let known: Vec<syn::Ident> = expr
            .arms
            .iter()
            .filter_map(|arm| match &arm.pat {
                Pat::Path(p) => p.path.segments.last().map(|s| s.ident.clone()),
                _ => None,
            })
            .collect();
        let unknown = unknown_variant(&known);
        expr.arms.push(parse_quote!(Self::#unknown(ref value) => f.write_str(value)));
    }
}

/// The name of the variant keeping unknown values: `Unknown`, unless a documented value has it
/// (`"unknown"` is a common one), then `UnknownValue`, `UnknownValue2`, ... Computed from the
/// documented variants alone, so the enum and its `Display` agree.
fn unknown_variant(known: &[syn::Ident]) -> syn::Ident {
    let taken = |name: &str| known.iter().any(|k| k == name);
    let name = ["Unknown".to_string(), "UnknownValue".to_string()]
        .into_iter()
        .chain((2..).map(|n| format!("UnknownValue{n}")))
        .find(|name| !taken(name))
        .unwrap_or_default();
    syn::Ident::new(&name, proc_macro2::Span::call_site())
}
