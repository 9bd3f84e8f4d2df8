//! What progenitor does not generate, emitted per client module with `quote` from its
//! [`ClientPlan`]: the documented servers, a static per operation that the runtime reads (security
//! requirements, statuses, secrets, idempotency), `exchange`, which hands each request to the
//! runtime's call lifecycle, and one-line constructors per way of authenticating.

use heck::{ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::quote;

use crate::model::naming::{ident, sanitize};
use crate::plan::{ClientPlan, OperationPlan, SchemeKind, SecurityScheme};

fn scheme_const(scheme: &SecurityScheme) -> proc_macro2::Ident {
    ident(&format!("SCHEME_{}", scheme.name.to_shouty_snake_case()))
}

/// The static describing operation `method_name` for the runtime, in the client module
/// (`OPERATION_LIST_PETS`); its builder's `send` hands `&super::` it to `exchange`. Method names
/// are distinct snake-case identifiers, so their upper cases are distinct too.
pub(crate) fn operation_static(method_name: &str) -> proc_macro2::Ident {
    ident(&format!("OPERATION_{}", method_name.trim_start_matches("r#").to_ascii_uppercase()))
}

/// The extra items of one client module, whose operations with a builder are `emitted` (the
/// plan's, less those generation left out).
pub fn tokens(plan: &ClientPlan, emitted: &[&OperationPlan]) -> TokenStream {
    // A scheme no operation requires, or an operation without a builder, would be a constant
    // nothing reads (a warning).
    let required: std::collections::BTreeSet<&String> =
        emitted.iter().flat_map(|o| o.security.iter().flatten()).collect();
    let schemes = &plan.schemes;
    let scheme_items = schemes.iter().filter(|scheme| required.contains(&scheme.name)).map(|scheme| {
        let ident = scheme_const(scheme);
        let name = &scheme.name;
        let kind = match &scheme.kind {
            SchemeKind::Bearer | SchemeKind::Token { .. } => quote!(crate::runtime::SchemeKind::Bearer),
            SchemeKind::Basic => quote!(crate::runtime::SchemeKind::Basic),
            SchemeKind::ApiKey { location, parameter } => match location.as_str() {
                "query" => quote!(crate::runtime::SchemeKind::Query(#parameter)),
                "cookie" => quote!(crate::runtime::SchemeKind::Cookie(#parameter)),
                _ => quote!(crate::runtime::SchemeKind::Header(#parameter)),
            },
        };
        let doc = format!("The `{name}` security scheme.");
        quote! {
            #[doc = #doc]
            const #ident: crate::runtime::Scheme = crate::runtime::Scheme { name: #name, kind: #kind };
        }
    });
    let constructors: Vec<TokenStream> =
        constructors(plan, "A client for [`DEFAULT_BASE_URL`]").into_iter().map(|(_, tokens)| tokens).collect();
    let operations = operation_statics(plan, emitted);
    let servers = servers(plan);
    // Every module may need it: a binary answer is a stream too.
    let exchange_stream = quote! {
        /// [`Self::exchange`] for an answer that streams ([`crate::runtime::call_stream`]):
        /// the success's body is handed on unread, with no deadline but the stream's idle
        /// timeout.
        #[allow(dead_code)]
        async fn exchange_stream<E>(&self, request: reqwest::Request, operation: &'static crate::runtime::Operation) -> Result<reqwest::Response, Error<E>> {
            crate::runtime::call_stream(&self.client, &self.inner, operation, request).await
        }
    };
    quote! {
        #servers

        #(#scheme_items)*

        #operations

        impl Client {
            /// Sends a built request through the runtime's one call lifecycle
            /// ([`crate::runtime::call`]: credentials, options, retries, time limits) and
            /// returns the response: what each operation's `send` does after building its
            /// request, written once rather than in every `send`.
            // Unused when the crate is built with every tag feature off (only `webhooks`).
            #[allow(dead_code)]
            async fn exchange<E>(&self, request: reqwest::Request, operation: &'static crate::runtime::Operation) -> Result<reqwest::Response, Error<E>> {
                crate::runtime::call(&self.client, &self.inner, operation, request).await
            }

            #exchange_stream

            /// A client for [`DEFAULT_BASE_URL`] that sends no credentials.
            pub fn with_default_base_url() -> Self {
                Self::new(DEFAULT_BASE_URL)
            }

            /// A client for [`DEFAULT_BASE_URL`] with these credentials and the default retry policy.
            pub fn with_credentials(credentials: crate::runtime::Credentials) -> Self {
                Self::with_config(DEFAULT_BASE_URL, crate::runtime::ClientConfig::default().with_credentials(credentials))
            }

            /// A client answered by `double` instead of the network, for testing code that uses
            /// it: canned answers per operation, the requests recorded (feature `test-double`,
            /// [`crate::runtime::TestDouble`]).
            #[cfg(feature = "test-double")]
            pub fn with_test_double(double: ::std::sync::Arc<crate::runtime::TestDouble>) -> Self {
                Self::with_config(DEFAULT_BASE_URL, crate::runtime::ClientConfig::default().with_test_double(double))
            }

            /// The same client sending this header with every request (a token the documentation
            /// does not declare, a tenant id); it replaces a header of that name the operation sets.
            pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.inner = self.inner.with_header(name, value);
                self
            }

            /// The same client running `middleware` for each attempt, after the middleware added
            /// before it: it sees the final request, credentials included, and its response
            /// (feature `middleware`; any `reqwest_middleware::Middleware`).
            #[cfg(feature = "middleware")]
            pub fn with_middleware(mut self, middleware: impl reqwest_middleware::Middleware) -> Self {
                self.inner = self.inner.with_middleware(middleware);
                self
            }

            /// The same client calling another server (a sandbox, a proxy, a test server).
            pub fn with_base_url(mut self, base_url: &str) -> Self {
                self.baseurl = base_url.trim_end_matches('/').to_string();
                self
            }

            /// The same client with another retry policy ([`crate::runtime::RetryPolicy::disabled`] turns retries off).
            pub fn with_retry(mut self, retry: crate::runtime::RetryPolicy) -> Self {
                self.inner.retry = retry;
                self
            }

            /// The same client with other time limits per attempt and per operation (default 30 s
            /// and 90 s; see [`crate::runtime::Timeouts`]).
            pub fn with_timeouts(mut self, timeouts: crate::runtime::Timeouts) -> Self {
                self.inner.timeouts = timeouts;
                self
            }

            /// A copy of this client for one call with its own settings
            /// ([`crate::runtime::RequestOptions`]: time limit, retries, extra headers or query
            /// parameters, idempotency key); what they leave unset is this client's. Cheap: the
            /// connection pool is shared.
            ///
            /// ```ignore
            /// let options = RequestOptions::new().timeout(Duration::from_secs(2)).idempotency_key("order-42");
            /// let answer = client.with_options(options).create_order().body(order).send().await?;
            /// ```
            pub fn with_options(&self, options: crate::runtime::RequestOptions) -> Self {
                let mut copy = self.clone();
                copy.inner = self.inner.clone().with_options(options);
                copy
            }

            #(#constructors)*
        }
    }
}

/// The runtime's `Operation` of each of the module's operations, a static each (see
/// [`operation_static`]), in method-name order. Fields an operation leaves empty are left out.
fn operation_statics(plan: &ClientPlan, emitted: &[&OperationPlan]) -> TokenStream {
    let mut operations: Vec<&OperationPlan> = emitted.to_vec();
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    let statics = operations.iter().map(|operation| {
        let id = &operation.method_name;
        let mut fields = Vec::new();
        let known = |name: &String| plan.schemes.iter().find(|s| &s.name == name);
        if !operation.security.is_empty() {
            let alternatives = operation.security.iter().map(|requirement| {
                let consts = requirement.iter().filter_map(known).map(scheme_const);
                quote!(&[#(#consts),*])
            });
            fields.push(quote!(security: &[#(#alternatives),*]));
        }
        let statuses = |keep: &dyn Fn(&crate::plan::ResponsePlan) -> bool| -> Vec<u16> {
            operation.responses.iter().filter(|r| keep(r)).map(|r| r.status).collect()
        };
        for (field, list) in [
            (quote!(json_statuses), statuses(&|r| r.json)),
            (quote!(documented_statuses), statuses(&|_| true)),
            (quote!(empty_as_null), statuses(&|r| r.empty_as_null)),
        ] {
            if !list.is_empty() {
                fields.push(quote!(#field: &[#(#list),*]));
            }
        }
        let secret_names: Vec<String> = operation
            .parameters
            .iter()
            .filter(|p| p.sensitive && p.location != "path")
            .map(|p| p.wire_name.to_ascii_lowercase())
            .collect();
        if !secret_names.is_empty() {
            fields.push(quote!(secret_names: &[#(#secret_names),*]));
        }
        if let Some(header) = &operation.idempotency_header {
            fields.push(quote!(idempotency_header: Some(#header)));
        }
        let scopes = &operation.scopes;
        if !scopes.is_empty() {
            fields.push(quote!(scopes: &[#(#scopes),*]));
        }
        let template = super::operations::template(&operation.path);
        fields.push(quote!(template: #template));
        let name = operation_static(id);
        quote! {
            static #name: crate::runtime::Operation =
                crate::runtime::Operation { id: #id, #(#fields,)* ..crate::runtime::Operation::NONE };
        }
    });
    // One static per operation rather than one table: the layout puts each behind its
    // operation's feature, so a crate built with one tag checks only that tag's (GitHub's table
    // of 1,100 was checked whole for any feature).
    quote!(#(#statics)*)
}

/// One constructor per documented way of authenticating (each security requirement), by name.
/// Each calls `Self::with_credentials`; its doc starts with `what` ("A client for ...").
pub(crate) fn constructors(plan: &ClientPlan, what: &str) -> Vec<(String, TokenStream)> {
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for requirement in plan.operations.iter().flat_map(|o| &o.security) {
        let members: Vec<&SecurityScheme> =
            requirement.iter().filter_map(|n| plan.schemes.iter().find(|s| &s.name == n)).collect();
        if members.is_empty() || members.len() != requirement.len() || seen.contains(requirement) {
            continue;
        }
        seen.push(requirement.clone());
        let mut words = Vec::new();
        let mut parameters = Vec::new();
        let mut settings = Vec::new();
        let mut described = Vec::new();
        for scheme in &members {
            match &scheme.kind {
                // Several bearer or basic schemes in one requirement (Google's specs list
                // `Oauth2` and `Oauth2c` together) all travel in the one Authorization header:
                // one credential serves them all.
                SchemeKind::Bearer | SchemeKind::Token { .. } if words.iter().any(|w| w == "bearer_token") => {}
                SchemeKind::Basic if words.iter().any(|w| w == "basic_auth") => {}
                SchemeKind::Bearer | SchemeKind::Token { .. } => {
                    words.push("bearer_token".to_string());
                    parameters.push(quote!(token: impl Into<String>));
                    settings.push(quote!(.with_bearer_token(token)));
                    described.push(format!("a bearer token (`{}`)", scheme.name));
                }
                SchemeKind::Basic => {
                    words.push("basic_auth".to_string());
                    parameters.push(quote!(user: impl Into<String>, password: impl Into<String>));
                    settings.push(quote!(.with_basic_auth(user, password)));
                    described.push(format!("a user name and password (`{}`)", scheme.name));
                }
                SchemeKind::ApiKey { location, parameter } => {
                    let mut word = sanitize(&scheme.name.to_snake_case());
                    while words.contains(&word) || ["token", "user", "password"].contains(&word.as_str()) {
                        word.push_str("_key");
                    }
                    let ident = ident(&word);
                    words.push(word);
                    parameters.push(quote!(#ident: impl Into<String>));
                    settings.push(quote!(.with_api_key(#parameter, #ident)));
                    described.push(format!("the `{parameter}` {location} API key (`{}`)", scheme.name));
                }
            }
        }
        // A word sanitized from a leading digit (`_2fa_key`) would make `with__2fa_key`, which
        // rustc's snake-case lint refuses.
        let words: Vec<&str> = words.iter().map(|w| w.trim_start_matches('_')).collect();
        let mut name = format!("with_{}", words.join("_and_"));
        while names.contains(&name) {
            name.push('_');
        }
        names.push(name.clone());
        let constructor = ident(&name);
        let doc =
            format!("{what} sending {} with every operation that documents it.", described.join(" together with "));
        out.push((
            name,
            quote! {
                #[doc = #doc]
                pub fn #constructor(#(#parameters),*) -> Self {
                    Self::with_credentials(crate::runtime::Credentials::none() #(#settings)*)
                }
            },
        ));
    }
    // OAuth2 client credentials, for the first scheme that documents the flow.
    let client_credentials = plan.schemes.iter().find_map(|scheme| match &scheme.kind {
        SchemeKind::Token { client_credentials: Some(url) } if required_somewhere(plan, &scheme.name) => {
            Some((scheme, url))
        }
        _ => None,
    });
    if let Some((scheme, token_url)) = client_credentials {
        let doc = format!(
            "{what} getting its bearer tokens with OAuth2 client credentials (`{}`) from `{token_url}`: \
             fetched once for concurrent calls, cached, and fetched again before they expire or after the \
             server refuses one ([`crate::runtime::ClientCredentials`]; its `secret_in_body` and `with_scopes` \
             through [`Self::with_credentials`]).",
            scheme.name
        );
        let mut name = "with_client_credentials".to_string();
        while out.iter().any(|(taken, _)| *taken == name) {
            name.push('_');
        }
        let constructor = ident(&name);
        out.push((
            name,
            quote! {
                #[doc = #doc]
                pub fn #constructor(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                    Self::with_credentials(
                        crate::runtime::Credentials::none().with_client_credentials(#token_url, client_id, client_secret),
                    )
                }
            },
        ));
    }
    out
}

/// Whether an operation of `plan` names the scheme `name` in a security requirement.
fn required_somewhere(plan: &ClientPlan, name: &str) -> bool {
    plan.operations.iter().flat_map(|o| &o.security).flatten().any(|n| n == name)
}

/// `DEFAULT_BASE_URL`, and a `servers` module naming every documented alternative.
fn servers(plan: &ClientPlan) -> TokenStream {
    let base_url = &plan.base_url;
    let constant_doc = format!("The server the API documentation names for these operations: `{base_url}`.");
    let listed: Vec<(&String, &String)> = plan.servers.iter().map(|s| (&s.url, &s.description)).collect();
    let named = (listed.len() > 1).then(|| {
        let labels: Vec<String> = listed
            .iter()
            .map(|(url, _)| {
                url.split("://")
                    .nth(1)
                    .unwrap_or(url)
                    .split(['.', '/', ':'])
                    .next()
                    .unwrap_or("server")
                    .to_shouty_snake_case()
            })
            .collect();
        let unique = labels.iter().enumerate().all(|(i, l)| !l.is_empty() && !labels[..i].contains(l));
        let items = listed.iter().enumerate().map(|(i, (url, description))| {
            let name = if unique { ident(&labels[i]) } else { ident(&format!("SERVER_{}", i + 1)) };
            let doc = if description.is_empty() { format!("`{url}`") } else { format!("{description}: `{url}`") };
            quote!(#[doc = #doc] pub const #name: &str = #url;)
        });
        quote! {
            /// Every server the documentation names for these operations; pass one to
            /// [`Client::with_base_url`].
            pub mod servers {
                #(#items)*
            }
        }
    });
    quote! {
        #[doc = #constant_doc]
        pub const DEFAULT_BASE_URL: &str = #base_url;
        #named
    }
}

/// The entry point of an API whose operations live on several servers: one `Client` holding
/// the credentials, settings and connection pool, and one method per server returning that
/// server's client (`supermetrics::Client::with_bearer_token(t).dts().create_data_source_connection()`),
/// each calling its documented host.
pub fn entry_point(api: &str, plans: &[&ClientPlan]) -> TokenStream {
    let mut names: Vec<String> = Vec::new();
    let mut shared = Vec::new();
    for (name, tokens) in plans.iter().flat_map(|plan| constructors(plan, "An entry point for every server")) {
        if !names.contains(&name) {
            names.push(name);
            shared.push(tokens);
        }
    }
    let servers = plans.iter().filter_map(|plan| {
        let module = ident(plan.module.as_deref()?);
        let doc = format!(
            "The client of the operations served at `{}`, sharing this one's credentials, settings and connections.",
            plan.base_url
        );
        Some(quote! {
            #[doc = #doc]
            pub fn #module(&self) -> #module::Client {
                #module::Client::new_with_client(#module::DEFAULT_BASE_URL, self.client.clone(), self.config.clone())
            }
        })
    });
    let doc = format!(
        "Every server of the `{api}` API from one place: credentials and settings are given once, and \
         each server's client, reached by its method, calls its documented host with them."
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            client: reqwest::Client,
            config: crate::runtime::ClientConfig,
        }

        impl Client {
            /// An entry point with these credentials and the default settings.
            pub fn with_credentials(credentials: crate::runtime::Credentials) -> Self {
                Self::new_with_client(reqwest::Client::new(), crate::runtime::ClientConfig::default().with_credentials(credentials))
            }

            /// An entry point with your own `reqwest::Client` (proxies, TLS) and configuration.
            pub fn new_with_client(client: reqwest::Client, config: crate::runtime::ClientConfig) -> Self {
                Self { client, config }
            }

            /// An entry point whose clients are answered by `double` instead of the network
            /// (feature `test-double`, [`crate::runtime::TestDouble`]).
            #[cfg(feature = "test-double")]
            pub fn with_test_double(double: ::std::sync::Arc<crate::runtime::TestDouble>) -> Self {
                Self::new_with_client(reqwest::Client::new(), crate::runtime::ClientConfig::default().with_test_double(double))
            }

            /// The same entry point sending this header with every request.
            pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.config = self.config.with_header(name, value);
                self
            }

            /// The same entry point running `middleware` for each attempt (feature `middleware`).
            #[cfg(feature = "middleware")]
            pub fn with_middleware(mut self, middleware: impl reqwest_middleware::Middleware) -> Self {
                self.config = self.config.with_middleware(middleware);
                self
            }

            /// The same entry point with another retry policy.
            pub fn with_retry(mut self, retry: crate::runtime::RetryPolicy) -> Self {
                self.config.retry = retry;
                self
            }

            /// The same entry point with other time limits per attempt and per operation.
            pub fn with_timeouts(mut self, timeouts: crate::runtime::Timeouts) -> Self {
                self.config.timeouts = timeouts;
                self
            }

            /// A copy for one call with its own settings ([`crate::runtime::RequestOptions`]).
            pub fn with_options(&self, options: crate::runtime::RequestOptions) -> Self {
                Self { client: self.client.clone(), config: self.config.clone().with_options(options) }
            }

            #(#shared)*

            #(#servers)*
        }
    }
}
