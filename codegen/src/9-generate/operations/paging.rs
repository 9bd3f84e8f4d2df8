//! `stream()` on the builder of each operation that pages ([`crate::plan::pagination`]): every
//! item of every page, through the runtime's `paginate::items`.
//!
//! The method goes inside the builder's own `impl`, where the request's fields can be read
//! (the cursor already sent, the page size). The item type is the page struct's items field,
//! read from typify's type space ([`item_types_in`]).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::naming::ident;
use crate::plan::{FieldPath, PageShape, PaginationPlan};

/// Page struct → items field → the item type as the builder module names it (`types::Pet`).
pub(crate) type ItemTypes = BTreeMap<String, BTreeMap<String, String>>;

/// For the structs of `space` with one of the `fields`, the item type of each such field that
/// is a `Vec<T>` or `Option<Vec<T>>`. Read from typify's type space rather than the `types`
/// module's tokens, so the builders can be emitted before that module is.
pub(crate) fn item_types_in(space: &typify::TypeSpace, fields: &BTreeSet<String>) -> ItemTypes {
    let mut out = ItemTypes::new();
    for ty in space.iter_types() {
        let typify::TypeDetails::Struct(details) = ty.details() else { continue };
        for (field, id) in details.properties() {
            if !fields.contains(field) {
                continue;
            }
            let Some(item) = vec_item(space, &id).and_then(|item| space.get_type(&item).ok()) else { continue };
            let entry = out.entry(ty.name()).or_default();
            entry.entry(field.to_string()).or_insert_with(|| item.ident().to_string());
        }
    }
    out
}

/// `T` of `Vec<T>` or `Option<Vec<T>>`.
fn vec_item(space: &typify::TypeSpace, id: &typify::TypeId) -> Option<typify::TypeId> {
    match space.get_type(id).ok()?.details() {
        typify::TypeDetails::Vec(item) => Some(item),
        typify::TypeDetails::Option(inner) => vec_item(space, &inner),
        _ => None,
    }
}

/// `T` of the type `Vec<T>` or `Option<Vec<T>>`.
fn vec_item_of(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    let Some(syn::GenericArgument::Type(inner)) = arguments.args.first() else { return None };
    match last.ident.to_string().as_str() {
        "Vec" => Some(inner),
        "Option" => vec_item_of(inner),
        _ => None,
    }
}

/// `stream()` for the builder of the operation `method_name`, whose `send` returns a `page`
/// or an `error`; `None` when the item type is not known.
pub(super) fn stream_method(
    method_name: &str,
    plan: &PaginationPlan,
    page: &syn::Type,
    error: &syn::Type,
    item_types: &ItemTypes,
) -> Option<TokenStream> {
    let item_type: syn::Type = match &plan.items {
        None => vec_item_of(page)?.clone(),
        Some(field) => {
            let name = last_ident(page)?;
            let found = item_types.get(&name).and_then(|fields| fields.get(field));
            syn::parse_str(found?).ok()?
        }
    };
    let runtime = quote!(crate::runtime::paginate);
    let operation = crate::generate::client_glue::operation_static(method_name);
    let (items_of_page, items_ref) = match &plan.items {
        Some(field) => {
            let field = ident(field);
            (quote!(#runtime::Items::into_items(page.#field)), quote!(&body.#field))
        }
        None => (quote!(page), quote!(body)),
    };
    let step = step(&plan.shape, &items_ref);
    let doc = format!(
        "Streams every item of every page, the next page found by {}. Each page is sent as \
         [`Self::send`] sends (credentials, retries, time limits); the stream ends after the last \
         page, or with the first error.",
        plan.shape.describe()
    );
    Some(quote! {
        #[doc = #doc]
        pub fn stream(self) -> impl ::futures_util::Stream<Item = Result<#item_type, Error<#error>>> + Unpin + 'a {
            let client = self.client;
            #runtime::items(
                self,
                |request: Self| request.send(),
                move |url| #runtime::get::<#page, #error>(&client.client, &client.inner, &super::#operation, &client.baseurl, url),
                |request: &Self, page: &ResponseValue<#page>| -> #runtime::Next<Self> {
                    let body: &#page = page;
                    let _ = (&request, &body);
                    #step
                },
                |page: #page| -> Vec<#item_type> { #items_of_page },
            )
        }
    })
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else { return None };
    Some(path.path.segments.last()?.ident.to_string())
}

/// Reads the field at `path` of `body` through the runtime trait `method` (`Cursor::cursor`),
/// stepping through optional containers: an `Option` of what the trait returns.
fn read(path: &FieldPath, method: TokenStream) -> TokenStream {
    fn at(base: TokenStream, rest: &[(String, bool)], method: &TokenStream) -> TokenStream {
        let [(name, optional), rest @ ..] = rest else { return quote!(None) };
        let name = ident(name);
        if rest.is_empty() {
            quote!(#method(&#base.#name))
        } else if *optional {
            let inner = at(quote!(container), rest, method);
            quote!(#base.#name.as_ref().and_then(|container| #inner))
        } else {
            at(quote!(#base.#name), rest, method)
        }
    }
    at(quote!(body), &path.0, &method)
}

/// The body of the step closure: what follows the page.
fn step(shape: &PageShape, items: &TokenStream) -> TokenStream {
    let runtime = quote!(crate::runtime::paginate);
    let cursor = quote!(#runtime::Cursor::cursor);
    let number = quote!(#runtime::Number::number);
    let position = quote!(#runtime::Position::position);
    let flag = quote!(#runtime::Flag::flag);
    let count = quote!(#runtime::Items::item_count(#items) as u64);
    match shape {
        PageShape::LinkHeader => quote! {
            match #runtime::link_next(page.headers(), &request.client.baseurl) {
                Some(url) => #runtime::Next::Get(url),
                None => #runtime::Next::Done,
            }
        },
        PageShape::Cursor { parameter, next, more: None } => {
            let (setter, next) = (ident(parameter), read(next, cursor.clone()));
            quote! {
                match #next {
                    Some(next) if Some(&next) != #cursor(&request.#setter).as_ref() => #runtime::Next::Send(request.clone().#setter(next)),
                    _ => #runtime::Next::Done,
                }
            }
        }
        PageShape::Cursor { parameter, next, more: Some((more, goes_on)) } => {
            let (setter, next, more) = (ident(parameter), read(next, cursor.clone()), read(more, flag));
            let stop = !goes_on;
            quote! {
                let over = #more == Some(#stop);
                match #next {
                    Some(next) if !over && Some(&next) != #cursor(&request.#setter).as_ref() => #runtime::Next::Send(request.clone().#setter(next)),
                    _ => #runtime::Next::Done,
                }
            }
        }
        PageShape::StartingAfter { parameter, has_more } => {
            let (setter, more) = (ident(parameter), read(has_more, flag));
            quote! {
                let last = #runtime::Items::last_item(#items).and_then(|item| #cursor(&item.id));
                match (#more, last) {
                    (Some(true), Some(id)) => #runtime::Next::Send(request.clone().#setter(id)),
                    _ => #runtime::Next::Done,
                }
            }
        }
        PageShape::NextUrl { next } => {
            let next = read(next, cursor);
            quote! {
                match #runtime::next_url(&request.client.baseurl, #next) {
                    Some(url) => #runtime::Next::Get(url),
                    None => #runtime::Next::Done,
                }
            }
        }
        PageShape::Offset { parameter, limit, total } => {
            let setter = ident(parameter);
            let limit = match limit {
                Some(limit) => {
                    let limit = ident(limit);
                    quote!(#position(&request.#limit))
                }
                None => quote!(None::<u64>),
            };
            let total = total.as_ref().map_or(quote!(None::<u64>), |total| read(total, number.clone()));
            quote! {
                let count = #count;
                let offset = #position(&request.#setter).unwrap_or(0) + count;
                let short = #limit.is_some_and(|limit| count < limit);
                let past = #total.is_some_and(|total| offset >= total);
                match #runtime::position_at(&request.#setter, offset) {
                    Some(next) if !(count == 0 || short || past) => #runtime::Next::Send(request.clone().#setter(next)),
                    _ => #runtime::Next::Done,
                }
            }
        }
        PageShape::Page { parameter, first, last, has_more } => {
            let setter = ident(parameter);
            let last = last.as_ref().map_or(quote!(None::<u64>), |last| read(last, number.clone()));
            let more = has_more.as_ref().map_or(quote!(None::<bool>), |more| read(more, flag));
            quote! {
                let number = #position(&request.#setter).unwrap_or(#first);
                let at_last = #last.is_some_and(|last| number >= last);
                let done = #count == 0 || at_last || #more == Some(false);
                match #runtime::position_at(&request.#setter, number + 1) {
                    Some(next) if !done => #runtime::Next::Send(request.clone().#setter(next)),
                    _ => #runtime::Next::Done,
                }
            }
        }
    }
}
