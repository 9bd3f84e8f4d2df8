//! The `webhooks` module of a generated client: decodes an incoming payload by webhook name.
//!
//! Emitted with `quote` beside progenitor's output, for the webhooks [`crate::lower::webhooks`]
//! collected. Each payload is the type typify generated for its component; a webhook whose type
//! is not in the generated source is left out of the table (with a warning) rather than
//! emitting code that would not compile.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ident::generator_name;
use crate::lower::webhooks::Webhook;

/// The module's tokens (nothing when there are no webhooks), and a warning per webhook left out.
pub fn tokens(webhooks: &[Webhook], type_names: &BTreeSet<String>) -> (TokenStream, Diagnostics) {
    let mut warnings = Diagnostics::default();
    let mut variants = Vec::new();
    let mut used = BTreeSet::new();
    for webhook in webhooks {
        let type_name = generator_name(&webhook.payload, true);
        if !type_names.contains(&type_name) {
            warnings.push(
                Diagnostic::warning(format!("webhook {:?} left out of the `webhooks` table: its payload type was not generated", webhook.name)),
            );
            continue;
        }
        let base = generator_name(&webhook.name.to_upper_camel_case(), true);
        let mut variant = base.clone();
        let mut counter = 2;
        while !used.insert(variant.clone()) {
            variant = format!("{base}{counter}");
            counter += 1;
        }
        variants.push((webhook, format_ident!("{}", variant), format_ident!("{}", type_name)));
    }
    if variants.is_empty() {
        return (TokenStream::new(), warnings);
    }
    let names: Vec<&str> = variants.iter().map(|(w, _, _)| w.name.as_str()).collect();
    let enum_variants = variants.iter().map(|(webhook, variant, ty)| {
        let doc = format!("`{}` ({}).", webhook.name, webhook.method.to_uppercase());
        quote! { #[doc = #doc] #variant(super::types::#ty) }
    });
    let arms = variants.iter().map(|(webhook, variant, _)| {
        let name = &webhook.name;
        quote! { #name => serde_json::from_slice(body).map(Webhook::#variant).map_err(ParseError::Body) }
    });
    let module = quote! {
        /// The webhooks this API sends to your endpoint, decoded by name into their payload types.
        #[allow(clippy::module_inception)]
        pub mod webhooks {
            /// A webhook payload, by the webhook it came from.
            #[derive(Clone, Debug)]
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum Webhook {
                #(#enum_variants,)*
            }

            /// The names of the webhooks this API documents.
            pub const NAMES: &[&str] = &[#(#names),*];

            /// Why a payload could not be decoded.
            #[derive(Debug)]
            pub enum ParseError {
                /// The API documents no webhook of this name.
                UnknownWebhook(String),
                /// The body is not the webhook's documented payload.
                Body(serde_json::Error),
            }

            impl std::fmt::Display for ParseError {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        Self::UnknownWebhook(name) => write!(f, "no webhook named {name:?} is documented (known: {})", NAMES.join(", ")),
                        Self::Body(e) => write!(f, "the payload does not decode: {e}"),
                    }
                }
            }

            impl std::error::Error for ParseError {}

            /// Decodes the JSON `body` of an incoming request by the webhook's `name`.
            ///
            /// # Errors
            /// When the name is not documented or the body is not its payload.
            pub fn parse(name: &str, body: &[u8]) -> Result<Webhook, ParseError> {
                match name {
                    #(#arms,)*
                    _ => Err(ParseError::UnknownWebhook(name.to_string())),
                }
            }
        }
    };
    (module, warnings)
}
