//! `stream()` on the builder of each operation that pages ([`crate::plan::pagination`]): every
//! item of every page, through the runtime's `paginate::items`.
//!
//! The method goes inside the builder's own `impl`, where the request's fields can be read
//! (the cursor already sent, the page size). The item type is the page struct's items field,
//! found in the `types` module's tokens ([`collect_item_types`]).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::parse_quote;
use syn::visit_mut::{self, VisitMut};

use crate::model::naming::ident;
use crate::plan::{FieldPath, PageShape, PaginationPlan};

/// Page struct → items field → the item type as the builder module names it (`types::Pet`).
pub(crate) type ItemTypes = BTreeMap<String, BTreeMap<String, String>>;

/// Records, for structs of `tokens` with one of the `fields`, the item type of each such field
/// that is a `Vec<T>` or `Option<Vec<T>>`.
pub(crate) fn collect_item_types(tokens: TokenStream, fields: &BTreeSet<String>, out: &mut ItemTypes) {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        let TokenTree::Group(group) = tree else { continue };
        let is_struct_body = group.delimiter() == proc_macro2::Delimiter::Brace
            && index >= 2
            && matches!(&trees[index - 2], TokenTree::Ident(i) if i == "struct");
        if !is_struct_body {
            // Structs are defined at module level: only module bodies are entered (walking
            // every impl and function body was most of this on large APIs).
            if crate::generate::format::opens_module_body(&trees, index) {
                collect_item_types(group.stream(), fields, out);
            }
            continue;
        }
        let TokenTree::Ident(name) = &trees[index - 1] else { continue };
        let mentions =
            group.stream().into_iter().any(|t| matches!(&t, TokenTree::Ident(i) if fields.contains(&i.to_string())));
        if !mentions {
            continue;
        }
        let Ok(named) = syn::parse2::<syn::FieldsNamed>(group.to_token_stream()) else { continue };
        for field in named.named {
            let Some(field_name) = field.ident.as_ref().map(ToString::to_string) else { continue };
            if !fields.contains(&field_name) {
                continue;
            }
            if let Some(mut item) = vec_item(&field.ty).cloned() {
                InTypesModule.visit_type_mut(&mut item);
                let entry = out.entry(name.to_string()).or_default();
                entry.entry(field_name).or_insert_with(|| item.to_token_stream().to_string());
            }
        }
    }
}

/// `T` of `Vec<T>` or `Option<Vec<T>>`.
fn vec_item(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    let Some(syn::GenericArgument::Type(inner)) = arguments.args.first() else { return None };
    match last.ident.to_string().as_str() {
        "Vec" => Some(inner),
        "Option" => vec_item(inner),
        _ => None,
    }
}

/// Names a type of the `types` module as the builder module does: `Pet` → `types::Pet`.
struct InTypesModule;

impl VisitMut for InTypesModule {
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        visit_mut::visit_type_path_mut(self, path);
        const PRIMITIVES: [&str; 16] = [
            "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128", "f32", "f64", "bool", "char", "str",
            "usize",
        ];
        let local = path.qself.is_none() && path.path.leading_colon.is_none() && path.path.segments.len() == 1;
        if local && !PRIMITIVES.contains(&path.path.segments[0].ident.to_string().as_str()) {
            path.path.segments.insert(0, parse_quote!(types));
        }
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
        None => vec_item(page)?.clone(),
        Some(field) => {
            let name = last_ident(page)?;
            let found = item_types.get(&name).and_then(|fields| fields.get(field));
            syn::parse_str(found?).ok()?
        }
    };
    let runtime = quote!(crate::runtime::paginate);
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
                move |url| #runtime::get::<#page, #error>(&client.client, &client.inner, super::operation(#method_name), &client.baseurl, url),
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
