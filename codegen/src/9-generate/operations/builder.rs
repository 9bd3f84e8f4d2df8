//! One operation's builder: a field per parameter and the body, holding what the caller gave
//! or why it is not valid; a setter per field; `send`; and `stream` when it pages.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::paging::{self, ItemTypes};
use super::typed::{BodyKind, OperationTypes, Param, ParamKind, TypeTable};
use crate::model::naming::ident;
use crate::plan::OperationPlan;

/// The builder struct of `operation` and its `impl`.
pub(super) fn tokens(
    operation: &OperationPlan,
    types: &OperationTypes,
    typed: &TypeTable,
    item_types: &ItemTypes,
    setter_docs: Option<&BTreeMap<String, String>>,
) -> TokenStream {
    let name = ident(&operation.builder_name);
    let names: Vec<Ident> = types.params.iter().map(|p| ident(&p.name)).collect();
    let client = unique_ident("client", &names);
    let fields = fields(types, typed);
    let initial = types.params.iter().map(|p| initial_value(p, typed));
    let setters = types.params.iter().map(|p| {
        let documented = setter_docs.and_then(|docs| docs.get(&p.name)).cloned();
        let doc = documented.unwrap_or_else(|| default_setter_doc(p));
        setter(p, typed, &doc)
    });
    let cloneable = types.params.iter().all(|p| !matches!(p.kind, ParamKind::Body(_)) || p.type_id.is_some());
    let derive = if cloneable { quote!(#[derive(Debug, Clone)]) } else { quote!(#[derive(Debug)]) };
    let method = &operation.method_name;
    let doc = format!("Builder for [`Client::{method}`]\n\n[`Client::{method}`]: super::Client::{method}");
    let send = super::send::send(operation, types, typed, &client);
    let stream = operation.pagination.as_ref().and_then(|plan| {
        let page = syn::parse2(send.success.clone()).ok()?;
        let error = syn::parse2(send.error.clone()).ok()?;
        paging::stream_method(method, plan, &page, &error, item_types)
    });
    let (send, request, streamed) = (send.send, send.request, send.stream);
    quote! {
        #[doc = #doc]
        #derive
        pub struct #name<'a> {
            #client: &'a super::Client,
            #(#fields,)*
        }

        impl<'a> #name<'a> {
            /// The operation's request, to be sent with `client`: set its parameters and body,
            /// then `send` it.
            pub fn new(client: &'a super::Client) -> Self {
                Self {
                    #client: client,
                    #(#names: #initial,)*
                }
            }

            #(#setters)*

            #send

            #request

            #stream

            #streamed
        }
    }
}

/// `name`, or `name` with leading underscores until no parameter has it (progenitor's rule).
pub(super) fn unique_ident(name: &str, taken: &[Ident]) -> Ident {
    let mut name = name.to_string();
    loop {
        let candidate = format_ident!("{}", name);
        if !taken.contains(&candidate) {
            return candidate;
        }
        name.insert(0, '_');
    }
}

/// Each field: the value given, or why it is not valid (`Err` also when a required one is
/// missing). A body whose type has a typify builder holds the builder, so `body_map` can
/// change one field of it.
fn fields<'a>(types: &'a OperationTypes, typed: &'a TypeTable) -> impl Iterator<Item = TokenStream> + 'a {
    types.params.iter().map(|p| {
        let name = ident(&p.name);
        let ty = match (&p.kind, p.type_id.as_ref()) {
            (_, None) => quote!(Result<reqwest::Body, String>),
            (ParamKind::Body(_), Some(id)) if typed.builder(id).is_some() => {
                let builder = typed.builder(id);
                quote!(Result<#builder, String>)
            }
            (kind, Some(id)) if kind.is_required() => {
                let t = typed.ident(id);
                quote!(Result<#t, String>)
            }
            (_, Some(id)) => {
                let t = typed.ident(id);
                quote!(Result<Option<#t>, String>)
            }
        };
        quote!(#name: #ty)
    })
}

fn initial_value(p: &Param, typed: &TypeTable) -> TokenStream {
    let body_builder =
        matches!(p.kind, ParamKind::Body(_)) && p.type_id.as_ref().and_then(|id| typed.builder(id)).is_some();
    if body_builder {
        quote!(Ok(::std::default::Default::default()))
    } else if p.kind.is_required() {
        let message = format!("{} was not initialized", p.name);
        quote!(Err(#message.to_string()))
    } else {
        quote!(Ok(None))
    }
}

/// The doc of a setter the plan has none for (a body, a parameter documented without words).
fn default_setter_doc(p: &Param) -> String {
    match (&p.kind, p.kind.is_required()) {
        (ParamKind::Body(_), _) => "The request body.".to_string(),
        (_, true) => format!("The `{}` parameter (required).", p.api_name),
        (_, false) => format!("The `{}` parameter.", p.api_name),
    }
}

/// The setter of one field, documented with `doc`: converts the value given (`TryInto`),
/// keeping the conversion's reason when it fails.
fn setter(p: &Param, typed: &TypeTable, doc: &str) -> TokenStream {
    let name = ident(&p.name);
    let Some(id) = p.type_id.as_ref() else {
        return match &p.kind {
            ParamKind::Body(BodyKind::Text(_)) => {
                let message = format!("conversion to `String` for {} failed", p.name);
                quote! {
                    #[doc = #doc]
                    pub fn #name<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<String>,
                        V::Error: ::std::fmt::Display,
                    {
                        self.#name = crate::runtime::with_reason(value.try_into(), #message).map(|v| v.into());
                        self
                    }
                }
            }
            _ => {
                let message = format!("conversion to `reqwest::Body` for {} failed", p.name);
                quote! {
                    #[doc = #doc]
                    pub fn #name<B>(mut self, value: B) -> Self
                    where
                        B: std::convert::TryInto<reqwest::Body>,
                        B::Error: ::std::fmt::Display,
                    {
                        self.#name = crate::runtime::with_reason(value.try_into(), #message);
                        self
                    }
                }
            }
        };
    };
    let ty = typed.ident(id);
    let message = format!("conversion to `{}` for {} failed", readable(&typed.name(id)), p.name);
    if let (ParamKind::Body(_), Some(builder)) = (&p.kind, typed.builder(id)) {
        return quote! {
            #[doc = #doc]
            pub fn body<V>(mut self, value: V) -> Self
            where
                V: std::convert::TryInto<#ty>,
                <V as std::convert::TryInto<#ty>>::Error: std::fmt::Display,
            {
                self.body = crate::runtime::with_reason(value.try_into().map(From::from), #message);
                self
            }

            /// Changes the body field by field, starting from the body given so far (an empty one
            /// before any): `.body_map(|b| b.name("Rex"))`.
            pub fn body_map<F>(mut self, f: F) -> Self
            where
                F: std::ops::FnOnce(#builder) -> #builder,
            {
                self.body = self.body.map(f);
                self
            }
        };
    }
    let value = if p.kind.is_required() { quote!(value.try_into()) } else { quote!(value.try_into().map(Some)) };
    quote! {
        #[doc = #doc]
        pub fn #name<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<#ty>,
            V::Error: ::std::fmt::Display,
        {
            self.#name = crate::runtime::with_reason(#value, #message);
            self
        }
    }
}

/// A type's name as a reader writes it, for error messages: typify names a built-in type by its
/// tokens (`:: std :: vec :: Vec < :: std :: string :: String >`), which reads as
/// `Vec<String>`. A name that is not a type is kept as it is.
fn readable(name: &str) -> String {
    match syn::parse_str::<syn::Type>(name) {
        Ok(ty) => readable_type(&ty),
        Err(_) => name.to_string(),
    }
}

fn readable_type(ty: &syn::Type) -> String {
    let list = |types: &mut dyn Iterator<Item = &syn::Type>| types.map(readable_type).collect::<Vec<_>>().join(", ");
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else { return String::new() };
            match &last.arguments {
                syn::PathArguments::AngleBracketed(arguments) => {
                    let mut types = arguments.args.iter().filter_map(|argument| match argument {
                        syn::GenericArgument::Type(ty) => Some(ty),
                        _ => None,
                    });
                    format!("{}<{}>", last.ident, list(&mut types))
                }
                _ => last.ident.to_string(),
            }
        }
        syn::Type::Reference(reference) => format!("&{}", readable_type(&reference.elem)),
        syn::Type::Tuple(tuple) => format!("({})", list(&mut tuple.elems.iter())),
        syn::Type::Array(array) => {
            let len = &array.len;
            format!("[{}; {}]", readable_type(&array.elem), quote!(#len))
        }
        other => quote!(#other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::readable;

    #[test]
    fn type_names_in_messages_read_as_written() {
        assert_eq!(readable(":: std :: vec :: Vec < :: std :: string :: String >"), "Vec<String>");
        assert_eq!(readable(":: uuid :: Uuid"), "Uuid");
        assert_eq!(readable("CreateLoginLinkBody"), "CreateLoginLinkBody");
        assert_eq!(
            readable(":: std :: collections :: HashMap < :: std :: string :: String , i64 >"),
            "HashMap<String, i64>"
        );
        assert_eq!(readable("(i64 , :: std :: string :: String)"), "(i64, String)");
        assert_eq!(readable("not a type <"), "not a type <");
    }
}
