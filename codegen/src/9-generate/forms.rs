//! A typed form per `multipart/form-data` body ([`crate::plan::FormPlan`]), emitted with
//! `quote` as the module's `forms`: one setter per documented part (a file, text or a JSON
//! value), and a conversion into the `reqwest::Body` the operation's `.body(..)` takes that
//! first checks required parts and text limits, failing the call before anything is sent.

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::model::naming::ident;
use crate::plan::{ClientPlan, PartKind};

/// The `forms` module of a client, or nothing when no operation takes a form.
pub fn tokens(plan: &ClientPlan) -> TokenStream {
    let forms = plan.operations.iter().filter_map(|operation| {
        let form = operation.form.as_ref()?;
        let name = ident(&format!("{}Form", operation.builder_name.to_pascal_case()));
        let method = &operation.method_name;
        let setters = form.parts.iter().map(|part| {
            let setter = ident(&part.setter);
            let wire = &part.name;
            let mut doc = match (&part.kind, part.required) {
                (PartKind::File, true) => format!("The `{wire}` file (required)."),
                (PartKind::File, false) => format!("The `{wire}` file."),
                (_, true) => format!("The `{wire}` part (required)."),
                (_, false) => format!("The `{wire}` part."),
            };
            if part.repeated {
                doc.push_str(" Call once per value to send several.");
            }
            if !part.description.is_empty() {
                doc = format!("{}\n\n{doc}", part.description.trim());
            }
            match part.kind {
                PartKind::File => quote! {
                    #[doc = #doc]
                    pub fn #setter(self, file: crate::runtime::FilePart) -> Self {
                        Self(self.0.file(#wire, file))
                    }
                },
                PartKind::Text => quote! {
                    #[doc = #doc]
                    pub fn #setter(self, value: impl ::std::fmt::Display) -> Self {
                        Self(self.0.text(#wire, value.to_string()))
                    }
                },
                PartKind::Json => quote! {
                    #[doc = #doc]
                    pub fn #setter(self, value: &impl ::serde::Serialize) -> Self {
                        Self(self.0.json(#wire, value))
                    }
                },
            }
        });
        let rules = form.parts.iter().map(|part| {
            let (name, required) = (&part.name, part.required);
            let bound = |limit: Option<u64>| match limit {
                Some(limit) => {
                    let limit = limit as usize;
                    quote!(Some(#limit))
                }
                None => quote!(None),
            };
            let (min_length, max_length) = (bound(part.min_length), bound(part.max_length));
            quote!(crate::runtime::PartRule { name: #name, required: #required, min_length: #min_length, max_length: #max_length })
        });
        let doc = format!(
            "The `multipart/form-data` body of [`super::Client::{method}`]: build it with one setter per \
             part and pass it to `.body(..)`. A missing required part or a text part beyond its limits \
             fails the call before anything is sent; a file from disk is read as the request is sent."
        );
        Some(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, Default)]
            pub struct #name(crate::runtime::Form);

            impl #name {
                /// An empty form.
                pub fn new() -> Self {
                    Self::default()
                }

                #(#setters)*

                /// What the documentation says of each part.
                const RULES: &'static [crate::runtime::PartRule] = &[#(#rules),*];
            }

            impl ::std::convert::TryFrom<#name> for reqwest::Body {
                type Error = ::std::string::String;

                fn try_from(form: #name) -> Result<Self, Self::Error> {
                    form.0.check(#name::RULES)?;
                    form.0.into_body()
                }
            }
        })
    });
    let forms: Vec<TokenStream> = forms.collect();
    if forms.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// Typed `multipart/form-data` bodies, one per operation that takes one.
        pub mod forms {
            #(#forms)*
        }
    }
}
