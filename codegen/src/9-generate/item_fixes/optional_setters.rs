//! Setters of optional fields that take the value itself, as a Rust user expects.
//!
//! typify's builder setter of an optional field takes `TryInto<Option<T>>`, so
//! `.description("rotated")` does not compile (it needs `Some("rotated".to_string())`), and an
//! optional constrained field needs `Some("10 hours".parse()?)` while the required field beside
//! it takes `"GAWA"`. Each such setter now takes `TryInto<T>`, as required fields' do (a
//! constrained type converts from `&str`, with its limits checked), and sets the value; a
//! `set_<field>(Option<T>)` beside it sets or unsets (smithy-rs's convention). A three-state
//! field ([`super::explicit_null`]) works the same way: `field(v)` sends `v`,
//! `set_field(Some(None))` sends `null`, `set_field(None)` leaves it out.

use proc_macro2::Span;
use quote::ToTokens;
use syn::{parse_quote, ImplItem, ItemImpl};

/// Rewrites the optional-field setters of typify's builder `item` and adds their `set_` twins.
pub(super) fn value_setters(item: &mut ItemImpl) {
    let existing: Vec<String> = item
        .items
        .iter()
        .filter_map(|i| match i {
            ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut added = Vec::new();
    for member in item.items.iter_mut() {
        let ImplItem::Fn(setter) = member else { continue };
        let Some((optional, inner)) = optional_bound(setter) else { continue };
        let name = setter.sig.ident.clone();
        let field = name.to_string();
        let twin = format!("set_{}", field.trim_start_matches("r#"));
        if existing.contains(&twin) {
            continue;
        }
        super::canary::fired(super::canary::Pass::ValueSetters);
        let message = format!("error converting supplied value for {field}: {{e}}");
        let wrap = match optional {
            Depth::Optional => quote::quote!(Some(value)),
            Depth::ThreeState => quote::quote!(Some(Some(value))),
        };
        setter.sig.generics.where_clause = Some(parse_quote! {
            where T: ::std::convert::TryInto<#inner>, T::Error: ::std::fmt::Display
        });
        setter.block = parse_quote!({
            self.#name = value.try_into().map(|value| #wrap).map_err(|e| format!(#message));
            self
        });
        let documented = format!(
            "Sets `{field}` to a value (`Some`), or leaves it out (`None`){}.",
            if matches!(optional, Depth::ThreeState) { "; `Some(None)` sends `null`" } else { "" }
        );
        let twin = syn::Ident::new(&twin, Span::call_site());
        let stored: syn::Type = match optional {
            Depth::Optional => parse_quote!(::std::option::Option<#inner>),
            Depth::ThreeState => parse_quote!(::std::option::Option<::std::option::Option<#inner>>),
        };
        added.push(ImplItem::Fn(parse_quote! {
            #[doc = #documented]
            pub fn #twin(mut self, value: #stored) -> Self {
                self.#name = Ok(value);
                self
            }
        }));
    }
    item.items.extend(added);
}

/// How deep the `Option` a setter's bound asks for is.
enum Depth {
    /// `TryInto<Option<T>>`.
    Optional,
    /// `TryInto<Option<Option<T>>>`.
    ThreeState,
}

/// For a setter bounded `T: TryInto<Option<X>>` (or `Option<Option<X>>`): the depth and `X`.
fn optional_bound(setter: &syn::ImplItemFn) -> Option<(Depth, syn::Type)> {
    let predicates = &setter.sig.generics.where_clause.as_ref()?.predicates;
    let bound = predicates.iter().find_map(|p| match p {
        syn::WherePredicate::Type(t) if t.bounded_ty.to_token_stream().to_string() == "T" => t.bounds.first(),
        _ => None,
    })?;
    let syn::TypeParamBound::Trait(bound) = bound else { return None };
    let segment = bound.path.segments.last()?;
    if segment.ident != "TryInto" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else { return None };
    let Some(syn::GenericArgument::Type(target)) = arguments.args.first() else { return None };
    let once = option_of(target)?;
    Some(match option_of(once) {
        Some(twice) => (Depth::ThreeState, twice.clone()),
        None => (Depth::Optional, once.clone()),
    })
}

/// `X` of `Option<X>`.
fn option_of(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}
