//! `Debug` that leaves secrets out: a struct with fields the plan marks sensitive
//! ([`crate::plan::sensitive_fields`]) loses its derived `Debug` for one that prints the
//! runtime's `Redacted` in their place. This covers a type (a request with a `password`), its
//! typify builder, and an operation's builder holding an `api_key` parameter, so logging any
//! of them with `{:?}` is safe.

use std::collections::{BTreeMap, BTreeSet};

use quote::quote;
use syn::{parse_quote, Item};

/// Replaces the derived `Debug` of each struct of `items` (and of their modules) that has a
/// sensitive field.
pub(super) fn redact_debug(items: &mut Vec<Item>, sensitive: &BTreeMap<String, BTreeSet<String>>) {
    let mut added = Vec::new();
    for item in items.iter_mut() {
        match item {
            Item::Mod(module) => {
                if let Some((_, inner)) = &mut module.content {
                    redact_debug(inner, sensitive);
                }
            }
            Item::Struct(item) => {
                let Some(fields) = sensitive.get(&item.ident.to_string()) else { continue };
                if let Some(implementation) = redacted_debug(item, fields) {
                    added.push(implementation);
                }
            }
            _ => {}
        }
    }
    items.extend(added);
}

/// The `Debug` impl of `item` with `fields` redacted, after removing `Debug` from its derives;
/// `None` when it derives no `Debug` or has none of the fields.
fn redacted_debug(item: &mut syn::ItemStruct, fields: &BTreeSet<String>) -> Option<Item> {
    let syn::Fields::Named(named) = &item.fields else { return None };
    let names: Vec<&syn::Ident> = named.named.iter().filter_map(|f| f.ident.as_ref()).collect();
    let plain = |ident: &syn::Ident| ident.to_string().trim_start_matches("r#").to_string();
    if !names.iter().any(|ident| fields.contains(&plain(ident))) || !super::remove_derive(&mut item.attrs, "Debug") {
        return None;
    }
    let entries = names.iter().map(|ident| {
        let label = plain(ident);
        if fields.contains(&label) {
            quote!(.field(#label, &crate::runtime::redact::Redacted))
        } else {
            quote!(.field(#label, &self.#ident))
        }
    });
    super::canary::fired(super::canary::Pass::RedactedDebug);
    let name = &item.ident;
    let label = name.to_string();
    let (generics, arguments, where_clause) = item.generics.split_for_impl();
    Some(parse_quote! {
        impl #generics ::std::fmt::Debug for #name #arguments #where_clause {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    })
}
