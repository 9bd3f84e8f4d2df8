//! What progenitor does not generate, emitted per client module with `quote` from the spec:
//! the documented servers, the security requirement of each operation, the hooks that add
//! credentials and retry, and one-line constructors per way of authenticating.

use heck::{ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::{ident, sanitize};
use serde_json::Value;

use crate::normalize::walk::is_operation_key;

/// A security scheme as the runtime knows it.
#[derive(Clone, Debug, PartialEq)]
struct Scheme {
    name: String,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Bearer,
    Basic,
    ApiKey {
        location: String,
        parameter: String,
    },
    /// OAuth2, OpenID Connect, mutual TLS: the token is a bearer token.
    Token,
}

fn schemes(document: &Value) -> Vec<Scheme> {
    let Some(declared) = document.pointer("/components/securitySchemes").and_then(Value::as_object) else {
        return Vec::new();
    };
    declared
        .iter()
        .filter_map(|(name, scheme)| {
            let kind = match (scheme.get("type")?.as_str()?, scheme.get("scheme").and_then(Value::as_str)) {
                ("http", Some(s)) if s.eq_ignore_ascii_case("bearer") => Kind::Bearer,
                ("http", Some(s)) if s.eq_ignore_ascii_case("basic") => Kind::Basic,
                ("apiKey", _) => Kind::ApiKey {
                    location: scheme.get("in")?.as_str()?.to_string(),
                    parameter: scheme.get("name")?.as_str()?.to_string(),
                },
                ("oauth2" | "openIdConnect", _) => Kind::Token,
                _ => return None,
            };
            Some(Scheme { name: name.clone(), kind })
        })
        .collect()
}

fn scheme_const(scheme: &Scheme) -> proc_macro2::Ident {
    ident(&format!("SCHEME_{}", scheme.name.to_shouty_snake_case()))
}

/// The name progenitor gives an operation's method, which is also what it reports as
/// `OperationInfo::operation_id` to the hooks. This mirrors progenitor-impl 0.15's
/// `util::sanitize(_, Case::Snake)`; [`crate::generate`] checks every name against the generated
/// code, so a divergence after an upgrade is an error, not a silently unauthenticated request.
pub fn method_name(operation_id: &str) -> String {
    use unicode_ident::{is_xid_continue, is_xid_start};
    let out = match operation_id {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => operation_id.replace('\'', "").replace(|c: char| !is_xid_continue(c), "-").to_snake_case(),
    };
    let out = match out.chars().next() {
        None => "x".to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
    };
    if typify::accept_as_ident(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// The method name and JSON pointer of every operation, for [`crate::generate`]'s check.
pub fn method_names(document: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                let at = crate::pointer::child(&crate::pointer::child("/paths", path), method);
                out.push((method_name(id), at));
            }
        }
    }
    out
}

/// The security requirements of each operation (by method name): its own, else the document's.
fn requirements(document: &Value) -> Vec<(String, Vec<Vec<String>>)> {
    let global = document.get("security");
    let mut out = Vec::new();
    for (_, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (_, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            let list = operation.get("security").or(global).and_then(Value::as_array);
            let requirements =
                list.into_iter().flatten().filter_map(Value::as_object).map(|r| r.keys().cloned().collect()).collect();
            out.push((method_name(id), requirements));
        }
    }
    out
}

/// The extra items of one client module whose operations are served at `base_url`.
pub fn tokens(document: &Value, base_url: &str) -> TokenStream {
    let schemes = schemes(document);
    let scheme_items = schemes.iter().map(|scheme| {
        let ident = scheme_const(scheme);
        let name = &scheme.name;
        let kind = match &scheme.kind {
            Kind::Bearer | Kind::Token => quote!(crate::runtime::SchemeKind::Bearer),
            Kind::Basic => quote!(crate::runtime::SchemeKind::Basic),
            Kind::ApiKey { location, parameter } => match location.as_str() {
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
    let known = |name: &String| schemes.iter().find(|s| &s.name == name);
    let requirements = requirements(document);
    let arms = requirements.iter().map(|(id, alternatives)| {
        let alternatives = alternatives.iter().map(|requirement| {
            let consts = requirement.iter().filter_map(known).map(scheme_const);
            quote!(&[#(#consts),*])
        });
        quote!(#id => &[#(#alternatives),*],)
    });
    let constructors = constructors(&schemes, &requirements);
    let statuses = statuses(document);
    let json_arms = statuses.iter().map(|Statuses { method, json, .. }| quote!(#method => &[#(#json),*],));
    let documented_arms = statuses.iter().map(|Statuses { method, all, .. }| quote!(#method => &[#(#all),*],));
    let content_type_arms: Vec<TokenStream> =
        content_types(document).into_iter().map(|(method, media)| quote!(#method => Some(#media),)).collect();
    let content_type_table = if content_type_arms.is_empty() {
        quote! {
            /// The media type a body passed as text is sent with: none in this API.
            fn sent_content_type(_operation_id: &str) -> Option<&'static str> {
                None
            }
        }
    } else {
        quote! {
            /// The media type a body passed as text is really sent with, by method name (see
            /// lower/bodies.rs: progenitor only sends text as `text/plain`).
            fn sent_content_type(operation_id: &str) -> Option<&'static str> {
                match operation_id {
                    #(#content_type_arms)*
                    _ => None,
                }
            }
        }
    };
    let empty_arms: Vec<TokenStream> = statuses
        .iter()
        .filter(|s| !s.empty.is_empty())
        .map(|Statuses { method, empty, .. }| quote!(#method => &[#(#empty),*],))
        .collect();
    let empty_as_null = if empty_arms.is_empty() {
        quote! {
            /// Statuses whose empty body is read as `null`: none in this API.
            fn empty_as_null_statuses(_operation_id: &str) -> &'static [u16] {
                &[]
            }
        }
    } else {
        quote! {
            /// Statuses documented without a body beside successes with one, by method name:
            /// their empty body is read as `null` (see lower/successes.rs).
            fn empty_as_null_statuses(operation_id: &str) -> &'static [u16] {
                match operation_id {
                    #(#empty_arms)*
                    _ => &[],
                }
            }
        }
    };
    let wire_name_table = wire_name_table(document);
    let servers = servers(document, base_url);
    quote! {
        #servers

        #wire_name_table

        #(#scheme_items)*

        /// The security requirements the spec documents for an operation, by method name (what
        /// progenitor reports as `OperationInfo::operation_id`): alternatives, each a set of
        /// schemes sent together.
        fn security_requirements(operation_id: &str) -> &'static [&'static [crate::runtime::Scheme]] {
            match operation_id {
                #(#arms)*
                _ => &[],
            }
        }

        /// The statuses the spec documents with a JSON body, by method name.
        fn json_statuses(operation_id: &str) -> &'static [u16] {
            match operation_id {
                #(#json_arms)*
                _ => &[],
            }
        }

        #empty_as_null

        #content_type_table

        /// Every status the spec documents, by method name.
        fn documented_statuses(operation_id: &str) -> &'static [u16] {
            match operation_id {
                #(#documented_arms)*
                _ => &[],
            }
        }

        impl ClientHooks<crate::runtime::ClientConfig> for Client {
            async fn pre<E>(&self, request: &mut reqwest::Request, info: &OperationInfo) -> Result<(), Error<E>> {
                crate::runtime::restore_wire_names(request, wire_names(info.operation_id));
                if let Some(media_type) = sent_content_type(info.operation_id) {
                    request.headers_mut().insert(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static(media_type));
                }
                self.inner
                    .credentials
                    .apply(security_requirements(info.operation_id), request)
                    .map_err(|message| Error::InvalidRequest(format!("{}: {message}", info.operation_id)))
            }

            async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
                let response = crate::runtime::execute(&self.client, request, &self.inner.retry, info.operation_id).await?;
                let id = info.operation_id;
                crate::runtime::buffer(response, json_statuses(id), documented_statuses(id), empty_as_null_statuses(id)).await
            }

            /// A documented JSON status whose body is not JSON becomes an unexpected response
            /// (status, headers and body) instead of a payload error without them.
            async fn post<E>(&self, result: &reqwest::Result<reqwest::Response>, info: &OperationInfo) -> Result<(), Error<E>> {
                match result.as_ref().ok().and_then(|r| crate::runtime::undecodable(r, json_statuses(info.operation_id))) {
                    Some(response) => Err(Error::UnexpectedResponse(response)),
                    None => Ok(()),
                }
            }
        }

        impl Client {
            /// A client for [`DEFAULT_BASE_URL`] that sends no credentials.
            pub fn with_default_base_url() -> Self {
                Self::new(DEFAULT_BASE_URL, crate::runtime::ClientConfig::default())
            }

            /// A client for [`DEFAULT_BASE_URL`] with these credentials and the default retry policy.
            pub fn with_credentials(credentials: crate::runtime::Credentials) -> Self {
                Self::new(DEFAULT_BASE_URL, crate::runtime::ClientConfig::default().with_credentials(credentials))
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

            #(#constructors)*
        }
    }
}

/// The function that maps renamed parameters back to their wire names (see
/// `lower::parameters::separate_colliding_names`), by method name.
fn wire_name_table(document: &Value) -> TokenStream {
    let mut arms = Vec::new();
    for (_, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (_, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            let renamed: Vec<TokenStream> = operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| crate::pointer::resolve(p, document))
                .filter_map(|p| {
                    let wire = p.get(crate::lower::parameters::WIRE_NAME)?.as_str()?;
                    let name = p.get("name")?.as_str()?;
                    let header = p.get("in").and_then(Value::as_str) == Some("header");
                    Some(quote!((#name, #wire, #header)))
                })
                .collect();
            if !renamed.is_empty() {
                let method = method_name(id);
                arms.push(quote!(#method => &[#(#renamed),*],));
            }
        }
    }
    if arms.is_empty() {
        return quote! {
            /// Parameters sent under another name than their Rust one: none in this API.
            fn wire_names(_operation_id: &str) -> &'static [(&'static str, &'static str, bool)] {
                &[]
            }
        };
    }
    quote! {
        /// Parameters renamed because two were one Rust name, by method name: (name the
        /// generated code sends, documented name, whether it is a header).
        fn wire_names(operation_id: &str) -> &'static [(&'static str, &'static str, bool)] {
            match operation_id {
                #(#arms)*
                _ => &[],
            }
        }
    }
}

/// Operations (by method name) whose request body is sent with another media type than the
/// generator's `text/plain`, and that media type.
fn content_types(document: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (_, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (_, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            let (Some(id), Some(body)) =
                (operation.get("operationId").and_then(Value::as_str), operation.get("requestBody"))
            else {
                continue;
            };
            let body = crate::pointer::resolve(body, document);
            if let Some(media) = body.get(crate::lower::bodies::CONTENT_TYPE).and_then(Value::as_str) {
                // Only what a header can carry; anything else stays text/plain.
                if reqwest_safe(media) {
                    out.push((method_name(id), media.to_string()));
                }
            }
        }
    }
    out
}

fn reqwest_safe(media_type: &str) -> bool {
    !media_type.is_empty() && media_type.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

/// The numeric statuses one operation documents. Ranges and `default` are left to progenitor.
struct Statuses {
    method: String,
    /// Documented with a JSON body.
    json: Vec<u16>,
    /// Documented at all.
    all: Vec<u16>,
    /// Documented without a body beside successes with one: read as `null`.
    empty: Vec<u16>,
}

fn statuses(document: &Value) -> Vec<Statuses> {
    let mut out = Vec::new();
    for (_, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (_, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            let mut json = Vec::new();
            let mut all = Vec::new();
            let mut empty = Vec::new();
            for (status, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
                let Ok(code) = status.parse::<u16>() else { continue };
                all.push(code);
                let response = crate::pointer::resolve(response, document);
                if response.pointer("/content/application~1json").is_some() {
                    json.push(code);
                }
                if response.get(crate::lower::successes::EMPTY_BODY_AS_NULL) == Some(&Value::Bool(true)) {
                    empty.push(code);
                }
            }
            out.push(Statuses { method: method_name(id), json, all, empty });
        }
    }
    out
}

/// One constructor per documented way of authenticating (each security requirement).
fn constructors(schemes: &[Scheme], requirements: &[(String, Vec<Vec<String>>)]) -> Vec<TokenStream> {
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for requirement in requirements.iter().flat_map(|(_, r)| r) {
        let members: Vec<&Scheme> = requirement.iter().filter_map(|n| schemes.iter().find(|s| &s.name == n)).collect();
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
                Kind::Bearer | Kind::Token if words.iter().any(|w| w == "bearer_token") => {}
                Kind::Basic if words.iter().any(|w| w == "basic_auth") => {}
                Kind::Bearer | Kind::Token => {
                    words.push("bearer_token".to_string());
                    parameters.push(quote!(token: impl Into<String>));
                    settings.push(quote!(.with_bearer_token(token)));
                    described.push(format!("a bearer token (`{}`)", scheme.name));
                }
                Kind::Basic => {
                    words.push("basic_auth".to_string());
                    parameters.push(quote!(user: impl Into<String>, password: impl Into<String>));
                    settings.push(quote!(.with_basic_auth(user, password)));
                    described.push(format!("a user name and password (`{}`)", scheme.name));
                }
                Kind::ApiKey { location, parameter } => {
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
        let mut name = format!("with_{}", words.join("_and_"));
        while names.contains(&name) {
            name.push('_');
        }
        names.push(name.clone());
        let constructor = ident(&name);
        let doc = format!(
            "A client for [`DEFAULT_BASE_URL`] sending {} with every operation that documents it.",
            described.join(" together with ")
        );
        out.push(quote! {
            #[doc = #doc]
            pub fn #constructor(#(#parameters),*) -> Self {
                Self::with_credentials(crate::runtime::Credentials::none() #(#settings)*)
            }
        });
    }
    out
}

/// `DEFAULT_BASE_URL`, and a `servers` module naming every documented alternative.
fn servers(document: &Value, base_url: &str) -> TokenStream {
    let constant_doc = format!("The server the API documentation names for these operations: `{base_url}`.");
    let listed: Vec<(String, String)> = document
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let url = s.get("url")?.as_str()?.trim_end_matches('/').to_string();
            Some((url, s.get("description").and_then(Value::as_str).unwrap_or("").to_string()))
        })
        .collect();
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
