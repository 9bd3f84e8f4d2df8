//! The `Client`: its struct, constructors, and one method per operation returning the
//! operation's builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::typed::OperationTypes;
use crate::model::naming::ident;
use crate::plan::OperationPlan;

/// The `Client` struct, its constructors and `ClientInfo`, and its operation methods.
pub(super) fn tokens(info: &openapiv3::Info, operations: &[(&OperationPlan, &OperationTypes)]) -> TokenStream {
    let mut doc = format!("Client for {}", info.title);
    for text in [&info.description, &info.terms_of_service].into_iter().flatten() {
        doc.push_str("\n\n");
        doc.push_str(text);
    }
    doc.push_str(&format!("\n\nVersion: {}", info.version));
    let version = &info.version;
    let methods = operations.iter().map(|(operation, types)| method(operation, types));
    quote! {
        #[derive(Clone, Debug)]
        #[doc = #doc]
        pub struct Client {
            pub(crate) baseurl: String,
            pub(crate) client: reqwest::Client,
            pub(crate) inner: crate::runtime::ClientConfig,
        }

        impl Client {
            /// A client for the server at `base_url` (a scheme, a host, and the path stem the
            /// operations' paths follow: `https://api.example.com/v2`), with the default settings
            /// and no credentials.
            pub fn new(base_url: &str) -> Self {
                Self::with_config(base_url, crate::runtime::ClientConfig::default())
            }

            /// A client for the server at `base_url` with this configuration (credentials, retry
            /// policy, time limits, headers).
            pub fn with_config(base_url: &str, config: crate::runtime::ClientConfig) -> Self {
                #[cfg(not(target_arch = "wasm32"))]
                let client = {
                    let dur = ::std::time::Duration::from_secs(15u64);
                    reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
                };
                #[cfg(target_arch = "wasm32")]
                let client = reqwest::ClientBuilder::new();
                // Building fails only when no TLS backend can start: then the default client is
                // all there is.
                Self::new_with_client(base_url, client.build().unwrap_or_default(), config)
            }

            /// A client with an existing `reqwest::Client` (proxies, TLS settings, a shared
            /// connection pool) for the server at `base_url`, with this configuration.
            pub fn new_with_client(base_url: &str, client: reqwest::Client, config: crate::runtime::ClientConfig) -> Self {
                Self { baseurl: base_url.trim_end_matches('/').to_string(), client, inner: config }
            }
        }

        impl ClientInfo<crate::runtime::ClientConfig> for Client {
            fn api_version() -> &'static str {
                #version
            }

            fn baseurl(&self) -> &str {
                self.baseurl.as_str()
            }

            fn client(&self) -> &reqwest::Client {
                &self.client
            }

            fn inner(&self) -> &crate::runtime::ClientConfig {
                &self.inner
            }
        }

        impl Client {
            #(#methods)*
        }
    }
}

/// `client.<operation>()`, with the operation's documentation and an example call.
fn method(operation: &OperationPlan, types: &OperationTypes) -> TokenStream {
    let name = ident(&operation.method_name);
    let builder = ident(&operation.builder_name);
    let setters: String = types.params.iter().map(|p| format!("\n    .{}({})", p.name, p.name)).collect();
    let example = format!("let response = client.{}(){setters}\n    .send()\n    .await;", operation.method_name);
    let doc = format!("{}```ignore\n{example}\n```", doc_comment(operation, types));
    quote! {
        #[doc = #doc]
        pub fn #name(&self) -> builder::#builder<'_> {
            builder::#builder::new(self)
        }
    }
}

/// The operation's summary, description, request line and arguments.
fn doc_comment(operation: &OperationPlan, types: &OperationTypes) -> String {
    let mut buf = String::new();
    if let Some(alternative) = &operation.alternative {
        let of = &alternative.of;
        buf.push_str(&match &alternative.body {
            crate::plan::AlternativeBody::Multipart => format!(
                "[`Self::{of}`] with the body sent as `multipart/form-data`: a [`forms::{}Form`].\n\n",
                operation.builder_name
            ),
            crate::plan::AlternativeBody::FormUrlencoded => {
                format!("[`Self::{of}`] with the same body sent as `application/x-www-form-urlencoded`.\n\n")
            }
            crate::plan::AlternativeBody::Bytes(media_type) => {
                format!("[`Self::{of}`] with the body given as bytes in `{media_type}`.\n\n")
            }
        });
    }
    if let Some(summary) = &types.summary {
        buf.push_str(summary.trim_end_matches(['.', ',']));
        buf.push_str("\n\n");
    }
    if let Some(description) = &types.description {
        buf.push_str(description);
        buf.push_str("\n\n");
    }
    buf.push_str(&format!("{}\n\n", request_line(operation)));
    if types.params.iter().any(|p| p.description.is_some()) {
        buf.push_str("Arguments:\n");
        for param in &types.params {
            buf.push_str(&format!("- `{}`", param.name));
            if let Some(description) = &param.description {
                // Continuation lines belong to the list item: indented, or Markdown (and
                // clippy's `doc_lazy_continuation`) reads them as a paragraph of their own.
                buf.push_str(": ");
                buf.push_str(&description.trim_end().replace('\n', "\n  "));
            }
            buf.push('\n');
        }
    }
    buf
}

/// "Sends a `GET` request to `/pets/{id}`".
pub(super) fn request_line(operation: &OperationPlan) -> String {
    format!("Sends a `{}` request to `{}`", operation.method.to_ascii_uppercase(), template(&operation.path))
}

/// The path template as progenitor prints it: a run of `/` outside parameters is one `/`.
pub(crate) fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => in_parameter = true,
            '}' => in_parameter = false,
            '/' if !in_parameter && out.ends_with('/') => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}
