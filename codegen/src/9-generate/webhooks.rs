//! The `webhooks` module of a generated API: its payload types, and a table that decodes an
//! incoming payload by webhook name.
//!
//! The types are generated apart from the client's (typify, as the client's are, on a document
//! holding only the schemas the payloads reach), so the module can sit
//! behind the generated crate's `webhooks` cargo feature: GitHub documents hundreds of webhooks,
//! whose types are more code than its whole client. A webhook whose type is not in the
//! generated source is left out of the table with a warning, never emitted to fail compiling.

use std::collections::{BTreeSet, HashMap, HashSet};

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use crate::generate::format::Scope;
use crate::generate::layout::TagLayout;
use crate::lower::repeated_inline::SharedName;
use crate::lower::webhooks::{Webhook, WebhookGroup};
use crate::model::naming::generator_name;

/// A generated `webhooks` module.
#[derive(Clone, Debug)]
pub struct WebhooksModule {
    /// The module's file (`webhooks.rs` beside the API's client).
    pub source: String,
    /// When it is large: its parts, each a path relative to the module's directory
    /// (`webhooks/`) and its source, `include!`d by the module's file, so no file is much
    /// over a megabyte.
    pub parts: Vec<(String, String)>,
}

/// The webhooks module, and warnings for what was left out of it. `None` when no payload
/// type could be generated (a warning says why).
///
/// # Errors
/// When the generated code does not parse (a bug of ours).
pub fn generate(group: &WebhookGroup) -> Result<(Option<WebhooksModule>, Diagnostics)> {
    let mut warnings = Diagnostics::default();
    let types_of = |document: &serde_json::Value| {
        let spec = crate::timing::timed("  webhooks: deserialize", || crate::generate::deserialize(document))?;
        Ok::<_, Diagnostics>(crate::timing::timed("  webhooks: types", || {
            crate::generate::run_types_with(&spec, false)
        }))
    };
    let mut shared_names = group.shared_names.as_slice();
    let mut generated = types_of(&group.document);
    // Sharing the repeated inline schemas is ours: should typify refuse the document it made,
    // it reads the payloads as written.
    if let (Err(_) | Ok(Err(_)), Some(unshared)) = (&generated, &group.unshared) {
        shared_names = &[];
        generated = types_of(unshared);
    }
    let generated = match generated? {
        Ok(generated) => generated,
        Err(why) => {
            warnings.push(
                Diagnostic::new(
                    Kind::WebhookLeftOut,
                    format!("the webhooks' payload types could not be generated: {why}"),
                )
                .help(
                    "the client is generated without its `webhooks` module; please report it with the normalized spec",
                ),
            );
            return Ok((None, warnings));
        }
    };
    let types = crate::timing::timed("  webhooks: types module", || generated.typed.types_module());
    let (table, left_out) = tokens_for(&group.webhooks, &generated.names, group.signature);
    warnings.extend(left_out);
    let doc = "The webhooks this API sends to your endpoint: their payload types, and [`parse`], which decodes \
        a payload by the webhook's name.\n\nEnabled by the crate's `webhooks` feature.";
    let file = quote! {
        #![doc = #doc]
        #types
        #table
    };
    // `quote!` shares the module's body with `types`: while both hold it, the cut below copies
    // the body's tokens instead of moving them, and frees none of them as it goes.
    drop(types);
    let fixes = crate::timing::timed("  webhooks: fixes, see the module", || {
        crate::generate::item_fixes::ItemFixes::for_types(&group.renamed_properties).seeing(&file)
    });
    let fix = |item: &mut syn::File| fixes.apply(item);
    let trees: Vec<proc_macro2::TokenTree> = file.into_iter().collect();
    let mut root = crate::timing::timed("  webhooks: cut", || crate::generate::format::cut_file_consuming(trees))
        .map_err(|e| {
            Diagnostics::from(Diagnostic::new(
                Kind::Internal,
                format!("the generated webhooks module does not parse: {e}"),
            ))
        })?;
    add_shared_names(&mut root, shared_names, &generated.names);
    // Payloads repeat the same inline schemas (a repository, a user) hundreds of times: those
    // written alike were shared before typify; the merge finds the rest (copies that differ
    // only in which identical types they name).
    crate::timing::timed("  webhooks: merge identical types", || {
        crate::generate::layout::same_types::merge_identical_types(&mut root, &|name| fixes.treatment_of(name))
    });
    // Payloads are received, never built to send: typify is asked for no builders (they were
    // about half of its output, generated, cut and compared only to be dropped).
    crate::timing::timed("  webhooks: lean Deserialize", || {
        crate::generate::item_fixes::lean_deserialize::in_scope(&mut root, &fixes)
    });
    // No operations, so no features: a large module is only cut into parts.
    let arranged = crate::generate::layout::arrange(root, &[], TagLayout::Auto, "webhooks/");
    let (source, parts) = crate::timing::timed("  webhooks: print", || {
        crate::generate::print_module(arranged.main, arranged.parts, &fix)
    })
    .map_err(|e| {
        Diagnostics::from(Diagnostic::new(Kind::Internal, format!("the generated webhooks module does not parse: {e}")))
    })?;
    Ok((Some(WebhooksModule { source, parts }), warnings))
}

/// Adds to the module's `types` an alias for each name a repeated inline schema's copy had
/// ([`crate::lower::repeated_inline`]), among typify's items in name order. An alias whose
/// name typify made anyway, or whose target is no type, is left out (it would not compile).
fn add_shared_names(root: &mut Scope, shared: &[SharedName], defined: &BTreeSet<String>) {
    use crate::generate::format::{CutItem, Entry};
    let Some(types) = crate::generate::layout::child_mut(root, "types") else { return };
    let targets: HashMap<&str, &str> = shared.iter().map(|s| (s.name.as_str(), s.target.as_str())).collect();
    let defines = |name: &str| {
        let mut at = name;
        for _ in 0..=targets.len() {
            if defined.contains(at) {
                return true;
            }
            match targets.get(at) {
                Some(target) => at = target,
                None => return false,
            }
        }
        false
    };
    let mut aliases: Vec<(&str, CutItem)> = Vec::new();
    let mut named = HashSet::new();
    for alias in shared {
        if defined.contains(&alias.name) || !named.insert(alias.name.as_str()) || !defines(&alias.target) {
            continue;
        }
        // A keyword is no type name: such an alias would not compile.
        if [&alias.name, &alias.target].iter().any(|name| syn::parse_str::<syn::Ident>(name).is_err()) {
            continue;
        }
        let doc = &alias.doc;
        let docs = quote!(#[doc = #doc]).to_string();
        let Some(item) = crate::generate::layout::same_types::alias(&docs, &alias.name, &alias.target) else {
            continue;
        };
        aliases.push((&alias.name, item));
    }
    aliases.sort_by(|a, b| a.0.cmp(b.0));
    let mut aliases = aliases.into_iter().peekable();
    let entries = std::mem::take(&mut types.entries);
    for entry in entries {
        if let Entry::Item(item) = &entry {
            if let Some(key) = &item.shape.key {
                while let Some((_, alias)) = aliases.next_if(|(name, _)| *name < key.as_str()) {
                    types.entries.push(Entry::Item(alias));
                }
            }
        }
        types.entries.push(entry);
    }
    types.entries.extend(aliases.map(|(_, alias)| Entry::Item(alias)));
}

/// The declaration of an API's `webhooks` module, behind the crate's `webhooks` feature.
pub fn declaration() -> TokenStream {
    quote! {
        #[cfg(feature = "webhooks")]
        #[allow(clippy::module_inception)]
        pub mod webhooks;
    }
}

/// The table's tokens (nothing when no webhook has a type), and a warning per webhook left out.
fn tokens_for(
    webhooks: &[Webhook],
    type_names: &BTreeSet<String>,
    signature: Option<crate::lower::webhooks::Signature>,
) -> (TokenStream, Diagnostics) {
    let mut warnings = Diagnostics::default();
    let mut variants = Vec::new();
    let mut used = BTreeSet::new();
    for webhook in webhooks {
        let type_name = generator_name(&webhook.payload, true);
        if !type_names.contains(&type_name) {
            warnings.push(Diagnostic::new(
                Kind::WebhookLeftOut,
                format!(
                    "webhook {:?} left out of the `webhooks` table: its payload type was not generated",
                    webhook.name
                ),
            ));
            continue;
        }
        let base = generator_name(&webhook.name.to_upper_camel_case(), true);
        let variant = crate::model::naming::first_free(&base, "", |n| used.contains(n));
        used.insert(variant.clone());
        variants.push((webhook, format_ident!("{}", variant), format_ident!("{}", type_name)));
    }
    if variants.is_empty() {
        return (TokenStream::new(), warnings);
    }
    let names: Vec<&str> = variants.iter().map(|(w, _, _)| w.name.as_str()).collect();
    let enum_variants = variants.iter().map(|(webhook, variant, ty)| {
        let doc = format!("`{}` ({}).", webhook.name, webhook.method.to_uppercase());
        quote! { #[doc = #doc] #variant(types::#ty) }
    });
    let arms = variants.iter().map(|(webhook, variant, _)| {
        let name = &webhook.name;
        quote! { #name => serde_json::from_slice(body).map(Webhook::#variant).map_err(ParseError::Body) }
    });
    let module = quote! {
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
    };
    let verify = signature.map(verify_and_parse);
    (quote!(#module #verify), warnings)
}

/// `verify_and_parse`: the signature checked as the API signs, then the payload decoded.
fn verify_and_parse(signature: crate::lower::webhooks::Signature) -> TokenStream {
    use crate::lower::webhooks::Signature;
    let (scheme, what) = match signature {
        Signature::StandardWebhooks => (quote!(StandardWebhooks), "Standard Webhooks (`webhook-signature`)"),
        Signature::Stripe => (quote!(Stripe), "Stripe's `Stripe-Signature`"),
        Signature::GitHub => (quote!(GitHub), "GitHub's `X-Hub-Signature-256`"),
    };
    let doc = format!(
        "Verifies that `body`, received with `headers`, is signed with one of `secrets` as this API signs \
         ({what}; a signed timestamp within five minutes of now), then decodes it by the webhook's `name`. \
         Pass the body exactly as received. Several secrets verify while one is rotated.\n\n\
         # Errors\nA signature that does not verify, or a payload that does not decode."
    );
    quote! {
        /// Why a webhook was refused by [`verify_and_parse`].
        #[derive(Debug)]
        pub enum VerifyError {
            /// Its signature does not verify: do not trust the payload.
            Signature(crate::runtime::webhook::SignatureError),
            /// It is signed but not a documented payload.
            Parse(ParseError),
        }

        impl std::fmt::Display for VerifyError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Signature(e) => write!(f, "the webhook's signature does not verify: {e}"),
                    Self::Parse(e) => write!(f, "{e}"),
                }
            }
        }

        impl std::error::Error for VerifyError {}

        #[doc = #doc]
        pub fn verify_and_parse(name: &str, headers: &http::HeaderMap, body: &[u8], secrets: &[&str]) -> Result<Webhook, VerifyError> {
            crate::runtime::webhook::verify(crate::runtime::webhook::SignatureScheme::#scheme, headers, body, secrets)
                .map_err(VerifyError::Signature)?;
            parse(name, body).map_err(VerifyError::Parse)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(name: &str, target: &str) -> SharedName {
        SharedName { name: name.into(), target: target.into(), doc: format!("`{name}`") }
    }

    #[test]
    fn shared_names_become_aliases_in_name_order_when_they_compile() {
        let trees: Vec<proc_macro2::TokenTree> = quote! {
            pub mod types {
                pub struct Apple { pub a: i64 }
                pub struct Cherry { pub c: i64 }
            }
        }
        .into_iter()
        .collect();
        let mut root = crate::generate::format::cut_file(&trees).unwrap();
        let defined: BTreeSet<String> = ["Apple", "Cherry"].map(String::from).into();
        let names = [
            shared("Banana", "Apple"),
            // Through another alias.
            shared("Date", "Banana"),
            // A name typify made anyway, and a target that is no type: either would not compile.
            shared("Cherry", "Apple"),
            shared("Elder", "Fig"),
        ];
        add_shared_names(&mut root, &names, &defined);
        let mut pieces = Vec::new();
        crate::generate::format::flatten(root, &mut pieces);
        let sources: Vec<String> = pieces
            .into_iter()
            .filter_map(|piece| match piece {
                crate::generate::format::Piece::Item { source, .. } => Some(source),
                _ => None,
            })
            .collect();
        assert_eq!(sources.len(), 4, "{sources:#?}");
        assert!(sources[0].contains("struct Apple"));
        assert_eq!(sources[1], "# [doc = \"`Banana`\"] pub type Banana = Apple ;");
        assert!(sources[2].contains("struct Cherry"));
        assert_eq!(sources[3], "# [doc = \"`Date`\"] pub type Date = Banana ;");
    }
}
