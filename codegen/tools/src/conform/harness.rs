//! The program that calls every operation of a generated client once: for each operation, its
//! builder with a value for every required parameter and the body, sent to the base URL given
//! on the command line, one JSON line per operation on standard output.
//!
//! Setter types are read from the generated module's syntax tree (progenitor's setters take
//! `V: TryInto<T>`), so each value is decoded into exactly the type the setter converts to:
//! a value the type refuses is reported as such, not hidden by a conversion the harness chose.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use serde_json::Value;

use codegen::model::{naming, pointer};
use codegen::plan::{ClientPlan, FormPlan, OperationPlan, PartKind, SchemeKind};

use super::classify;
use super::sample::Sampler;

/// Builder type → setter → the type its value converts to.
type SetterTypes = BTreeMap<String, BTreeMap<String, syn::Type>>;

/// One call the harness makes, described for the report.
#[derive(Clone, Debug)]
pub struct PlannedCall {
    /// The operation's method name.
    pub operation: String,
    /// Why the harness cannot make the call, when it cannot.
    pub not_covered: Option<String>,
    /// The body is sent as `text/plain` (Prism reads such a body as a string, whatever its
    /// schema says).
    pub text_body: bool,
    /// The documented response examples its schema refuses (`200 at /id: why`): a static
    /// response that does not decode is then the spec's defect.
    pub example_defects: Vec<String>,
    /// JSON pointer of the operation in the spec Prism serves, to check its random answers.
    pub pointer: String,
    /// Another path of the same method that matches the same URLs ([`classify::route_twin`]).
    pub route_twin: Option<String>,
    /// The documented redirect statuses (`302`, `3XX`): the client returns a redirect it does
    /// not follow whole, as the unexpected response, which is what it promises for them.
    pub redirects: Vec<String>,
}

/// How the harness begins the message of an answer the client returned as the unexpected
/// response without a decoding failure (a status the client does not match on), before
/// ` {status}: {body}`; classification reads it back.
pub const UNDOCUMENTED: &str = "undocumented response";

/// The harness's code for one client module, and what it calls.
pub struct ModuleHarness {
    /// `async fn` items, one per client module, called by `main`.
    pub tokens: TokenStream,
    /// The calls, in order.
    pub calls: Vec<PlannedCall>,
}

/// The documents an API's calls are built from.
#[derive(Clone, Copy)]
pub struct Documents<'a> {
    /// The lowered document the client's plan came from: its schemas are the setters' types.
    pub lowered: &'a Value,
    /// The normalized document: a text body's schema as documented (lowering makes every text
    /// body a string, and a `true` for `type: boolean` is what the server checks for).
    pub normalized: &'a Value,
}

/// Emits the calls of one client module: `module_path` is its path from the harness
/// (`::my_api::management`), `sources` the module's file and the parts it includes (a split
/// client keeps its builders there), `documents` the lowered document its plan came from and
/// the normalized one before it.
pub fn module_calls(
    index: usize,
    module_path: &TokenStream,
    runtime_path: &TokenStream,
    plan: &ClientPlan,
    sources: &[&str],
    documents: Documents<'_>,
    seed: u64,
) -> Result<ModuleHarness, String> {
    let document = documents.lowered;
    let setters = setters_in(sources)?;
    let mut sampler = Sampler::new(document, seed);
    let mut calls = Vec::new();
    let mut statements = Vec::new();
    for operation in &plan.operations {
        let name = operation.method_name.clone();
        let Some(builder) = setters.get(&operation.builder_name) else {
            // The plan lists it, but the client module has no builder for it: calling it would
            // not compile.
            calls.push(PlannedCall {
                operation: name.clone(),
                not_covered: Some(format!(
                    "the generated client has no `{name}` (no `{}` builder)",
                    operation.builder_name
                )),
                text_body: false,
                example_defects: Vec::new(),
                pointer: operation.pointer.clone(),
                route_twin: None,
                redirects: Vec::new(),
            });
            continue;
        };
        match call(operation, builder, documents, runtime_path, &mut sampler) {
            Ok(setter_calls) => {
                let method = format_ident!("{}", name);
                statements.push(quote! {
                    if !skip.contains(&#name) && !hung(out) {
                        let result = async {
                            let call = client.#method();
                            #(#setter_calls)*
                            Ok::<_, String>(outcome(call.send().await).await)
                        }.await;
                        out.push(record(#name, result));
                    }
                });
                let text_body = sends_text(operation, document);
                let example_defects = example_defects(operation, document, &sampler);
                calls.push(PlannedCall {
                    operation: name,
                    not_covered: None,
                    text_body,
                    example_defects,
                    pointer: operation.pointer.clone(),
                    route_twin: classify::route_twin(&operation.pointer, document),
                    redirects: redirects(operation, document),
                });
            }
            Err(why) => calls.push(PlannedCall {
                operation: name,
                not_covered: Some(why),
                text_body: false,
                example_defects: Vec::new(),
                pointer: operation.pointer.clone(),
                route_twin: None,
                redirects: Vec::new(),
            }),
        }
    }
    let credentials = credentials(plan, runtime_path);
    let function = format_ident!("module_{}", index);
    let tokens = quote! {
        #[allow(unused_imports, clippy::all)]
        async fn #function(base: &str, skip: &[&str], out: &mut Vec<String>) {
            use #module_path as api;
            use api::types;
            let client = api::Client::with_credentials(#credentials)
                .with_base_url(base)
                .with_retry(#runtime_path::RetryPolicy::disabled());
            #(#statements)*
        }
    };
    Ok(ModuleHarness { tokens, calls })
}

/// Credentials for every scheme the client knows, so each operation's requirement is met.
fn credentials(plan: &ClientPlan, runtime_path: &TokenStream) -> TokenStream {
    let mut tokens = quote!(#runtime_path::Credentials::none());
    for scheme in &plan.schemes {
        tokens = match &scheme.kind {
            SchemeKind::Bearer | SchemeKind::Token { .. } => quote!(#tokens.with_bearer_token("conform-token")),
            SchemeKind::Basic => quote!(#tokens.with_basic_auth("conform-user", "conform-password")),
            SchemeKind::ApiKey { parameter, .. } => quote!(#tokens.with_api_key(#parameter, "conform-key")),
        };
    }
    tokens
}

/// The setter calls for one operation: every required parameter and the body.
fn call(
    operation: &OperationPlan,
    setters: &BTreeMap<String, syn::Type>,
    documents: Documents<'_>,
    runtime_path: &TokenStream,
    sampler: &mut Sampler,
) -> Result<Vec<TokenStream>, String> {
    let document = documents.lowered;
    let located = document.pointer(&operation.pointer).ok_or("the operation is not in its document")?;
    let mut out = Vec::new();
    if let Some(form) = &operation.form {
        out.push(form_body(operation, form, located, document, runtime_path, sampler));
    }
    for parameter in operation.parameters.iter().filter(|p| p.required) {
        let (setter, ty) = setter_candidates(&parameter.name)
            .into_iter()
            .find_map(|candidate| setters.get(&candidate).map(|ty| (candidate, ty)))
            .ok_or_else(|| format!("no setter for the required parameter `{}`", parameter.name))?;
        let schema = parameter.schema.as_ref().unwrap_or(&Value::Null);
        let built = [sampler.value(schema), sampler.plain_value(schema)];
        let example = parameter.example.as_ref().filter(|e| sampler.agrees(e, schema));
        out.push(set(&setter, ty, example, &built));
    }
    let body = located.get("requestBody").map(|b| pointer::resolve(b, document));
    if let Some(body) = body.filter(|_| operation.form.is_none()) {
        if let Some(ty) = setters.get("body") {
            let media = body.get("content").and_then(Value::as_object).and_then(|c| c.values().next());
            let text = sends_text(operation, document);
            let documented = documented_body_schema(&operation.pointer, documents.normalized);
            let schema = match (text, &documented) {
                (true, Some(documented)) => documented.clone(),
                _ => media.and_then(|m| m.get("schema")).cloned().unwrap_or_default(),
            };
            // Lowering drops constraints the generator cannot type (an `anyOf` of `required`
            // lists): the example must also meet the schema as documented.
            let meets_documented = |example: &Value| {
                documented.as_ref().is_none_or(|documented| {
                    codegen::normalize::examples::contradiction(example, documented, documents.normalized).is_none()
                })
            };
            let example = media
                .and_then(|m| codegen::plan::documented_example(m, document))
                .filter(|e| sampler.agrees(e, &schema) && meets_documented(e));
            let built = match schema.is_null() {
                true => [Value::Null, Value::Null],
                false => [sampler.value(&schema), sampler.plain_value(&schema)],
            };
            // A text body is the value's text: `true`, `42`, not the JSON string `"true"`.
            let built = built.map(|value| match (text, value) {
                (true, value) if !value.is_string() && !value.is_null() => Value::String(value.to_string()),
                (_, value) => value,
            });
            out.push(set("body", ty, example.as_ref(), &built));
        }
    }
    Ok(out)
}

/// `.body(forms::XForm::new().part(..))` with every required part: a small file, text and
/// JSON values built from the part's schema.
fn form_body(
    operation: &OperationPlan,
    form: &FormPlan,
    located: &Value,
    document: &Value,
    runtime_path: &TokenStream,
    sampler: &mut Sampler,
) -> TokenStream {
    let body = located.get("requestBody").map(|b| pointer::resolve(b, document));
    let schema = body.and_then(|b| b.get(codegen::lower::bodies::FORM_SCHEMA)).map(|s| pointer::resolve(s, document));
    let part_schemas = schema.map(|s| codegen::plan::part_schemas(s, document)).unwrap_or_default();
    let form_type = format_ident!("{}Form", heck::ToPascalCase::to_pascal_case(operation.builder_name.as_str()));
    let parts = form.parts.iter().filter(|part| part.required).map(|part| {
        let setter = naming::ident(&part.setter);
        let property = part_schemas.iter().find(|(name, _)| name == &part.name).map(|(_, schema)| *schema);
        let property = property.map_or(&Value::Null, |p| pointer::resolve(p, document));
        let item = if part.repeated { property.get("items").unwrap_or(&Value::Null) } else { property };
        match part.kind {
            PartKind::File => quote!(.#setter(#runtime_path::FilePart::from_bytes("sample.txt", &b"sample"[..]))),
            PartKind::Text => {
                let text = match sampler.value(item) {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                quote!(.#setter(#text))
            }
            PartKind::Json => {
                let json = sampler.value(item).to_string();
                quote!(.#setter(&::serde_json::from_str::<::serde_json::Value>(#json).map_err(|e| e.to_string())?))
            }
        }
    });
    quote!(let call = call.body(api::forms::#form_type::new() #(#parts)*);)
}

/// The JSON response examples of the operation (the media's, else its schema's) that their
/// schema refuses.
fn example_defects(operation: &OperationPlan, document: &Value, sampler: &Sampler) -> Vec<String> {
    let responses = document.pointer(&format!("{}/responses", operation.pointer)).and_then(Value::as_object);
    let mut found = Vec::new();
    for (status, response) in responses.into_iter().flatten() {
        let Some(media) = pointer::resolve(response, document).pointer("/content/application~1json") else { continue };
        let schema = media.get("schema").map_or(&Value::Null, |s| pointer::resolve(s, document));
        let example = codegen::plan::documented_example(media, document).or_else(|| schema.get("example").cloned());
        if let Some(example) = example {
            if let Some((at, why)) = codegen::normalize::examples::contradiction(&example, schema, sampler.document()) {
                found.push(format!("the {status} example at `{at}`: {why}"));
            }
        }
    }
    found
}

/// The operation's documented 3xx statuses.
fn redirects(operation: &OperationPlan, document: &Value) -> Vec<String> {
    let responses = document.pointer(&format!("{}/responses", operation.pointer)).and_then(Value::as_object);
    responses.into_iter().flatten().map(|(status, _)| status.clone()).filter(|status| status.starts_with('3')).collect()
}

/// The schema of the operation's request body in the normalized document (its `$ref` resolved
/// there), before lowering made a text body a string or dropped what the generator cannot
/// type: the JSON media type's, else the text one's, else the first.
fn documented_body_schema(operation_pointer: &str, normalized: &Value) -> Option<Value> {
    let body = normalized.pointer(operation_pointer)?.get("requestBody")?;
    let content = pointer::resolve(body, normalized).get("content")?.as_object()?;
    let media = content
        .iter()
        .find(|(media_type, _)| media_type.contains("json"))
        .or_else(|| content.iter().find(|(media_type, _)| media_type.starts_with("text/")))
        .or_else(|| content.iter().next())
        .map(|(_, media)| media)?;
    Some(pointer::resolve(media.get("schema")?, normalized).clone())
}

/// Whether the operation's request body is `text/plain`.
fn sends_text(operation: &OperationPlan, document: &Value) -> bool {
    let body = document.pointer(&operation.pointer).and_then(|o| o.get("requestBody"));
    let content = body.map(|b| pointer::resolve(b, document)).and_then(|b| b.get("content")).and_then(Value::as_object);
    content.and_then(|c| c.keys().next()).is_some_and(|media| media.starts_with("text/plain"))
}

/// `.setter(value::<T>(example, built, plain)?)`: the documented example when the type takes
/// it, else the value built from the schema (with the documented values of its parts, else
/// without: `built` holds both); the JSON text as a raw body when `T` is a body type.
fn set(setter: &str, ty: &syn::Type, example: Option<&Value>, built: &[Value; 2]) -> TokenStream {
    let value = example.unwrap_or(&built[0]);
    let method: syn::Ident = match setter.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", setter),
    };
    let is_raw_body = ty.to_token_stream().to_string().replace(' ', "").ends_with("reqwest::Body");
    if is_raw_body {
        let text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        return quote!(let call = call.#method(::reqwest::Body::from(#text.to_string())););
    }
    let example = example.map(Value::to_string).unwrap_or_default();
    let [built, plain] = built.each_ref().map(Value::to_string);
    quote!(let call = call.#method(value::<#ty>(#example, #built, #plain)?);)
}

/// The names progenitor may give a parameter's setter: snake case, with `_` or `r#` when it
/// is a keyword.
fn setter_candidates(parameter: &str) -> [String; 3] {
    let name = heck::ToSnakeCase::to_snake_case(parameter);
    [format!("r#{name}"), format!("{name}_"), name]
}

/// Every `impl Builder { fn setter<V>(..) where V: TryInto<T> }` of the file.
/// The setters of every builder found in a module's file and its parts.
fn setters_in(sources: &[&str]) -> Result<SetterTypes, String> {
    let mut setters = SetterTypes::new();
    for source in sources {
        let file = syn::parse_file(source).map_err(|e| format!("the generated module does not parse: {e}"))?;
        for (builder, found) in setter_types(&file) {
            setters.entry(builder).or_default().extend(found);
        }
    }
    Ok(setters)
}

fn setter_types(file: &syn::File) -> SetterTypes {
    let mut out = SetterTypes::new();
    collect(&file.items, &mut out);
    out
}

fn collect(items: &[syn::Item], out: &mut SetterTypes) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect(items, out);
                }
            }
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let syn::Type::Path(self_type) = &*block.self_ty else { continue };
                let Some(builder) = self_type.path.segments.last().map(|s| s.ident.to_string()) else { continue };
                // Present even without setters: the operation is in the client.
                out.entry(builder.clone()).or_default();
                for member in &block.items {
                    let syn::ImplItem::Fn(function) = member else { continue };
                    if let Some(ty) = converted_type(&function.sig) {
                        let name = function.sig.ident.to_string();
                        out.entry(builder.clone()).or_default().insert(name, ty);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `T` of a `where V: TryInto<T>` bound.
fn converted_type(signature: &syn::Signature) -> Option<syn::Type> {
    let predicates = signature.generics.where_clause.as_ref()?.predicates.iter();
    for predicate in predicates {
        let syn::WherePredicate::Type(bound) = predicate else { continue };
        for bound in &bound.bounds {
            let syn::TypeParamBound::Trait(trait_bound) = bound else { continue };
            let last = trait_bound.path.segments.last()?;
            if last.ident != "TryInto" {
                continue;
            }
            let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { continue };
            if let Some(syn::GenericArgument::Type(ty)) = arguments.args.first() {
                return Some(ty.clone());
            }
        }
    }
    None
}

/// The harness program: helpers, one function per module, and `main` running them in turn.
pub fn program(modules: &[(String, TokenStream)], runtime_path: &TokenStream) -> TokenStream {
    let apis = modules.iter().map(|(api, _)| api);
    let calls = (0..modules.len()).map(|i| format_ident!("module_{}", i));
    let modules = modules.iter().map(|(_, tokens)| tokens);
    quote! {
        //! Generated by `cargo xtask conform`: calls every operation once, prints a JSON line each.
        #![allow(unused_imports, unused_variables, clippy::all)]

        /// The documented example when the setter's type takes it, else the value built from
        /// the schema with the documented values of its parts, else the one built without them
        /// (an example its own schema refuses is the spec's defect, reported at generation).
        fn value<T: ::serde::de::DeserializeOwned>(example: &str, built: &str, plain: &str) -> Result<T, String> {
            if let Ok(value) = ::serde_json::from_str(example) {
                return Ok(value);
            }
            if let Ok(value) = ::serde_json::from_str(built) {
                return Ok(value);
            }
            ::serde_json::from_str(plain).map_err(|e| format!("the sample value does not fit the setter's type: {e}: {plain}"))
        }

        struct Outcome {
            status: Option<u16>,
            decoded: bool,
            message: String,
            /// The body of a response that did not decode.
            body: Option<String>,
            /// Prism's `sl-violations` header: what it found wrong with the request or its response.
            violations: String,
            /// No answer within the client's timeout.
            timed_out: bool,
        }

        /// Prism did not answer the last call in time: it is still making up that answer and
        /// would time the next calls out too; the run stops so that it is restarted.
        fn hung(out: &[String]) -> bool {
            out.last().is_some_and(|line| line.contains(r#""timed_out":true"#))
        }

        fn violations(headers: &::reqwest::header::HeaderMap) -> String {
            // Not `to_str`: Prism quotes the spec's patterns, which may hold non-ASCII (`µs`).
            headers.get("sl-violations").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).unwrap_or_default()
        }

        async fn outcome<T, E: ::std::fmt::Debug>(
            result: Result<#runtime_path::ResponseValue<T>, #runtime_path::Error<E>>,
        ) -> Outcome {
            match result {
                Ok(response) => Outcome {
                    status: Some(response.status().as_u16()),
                    decoded: true,
                    message: String::new(),
                    body: None,
                    violations: violations(response.headers()),
                    timed_out: false,
                },
                Err(#runtime_path::Error::UnexpectedResponse(response)) => {
                    let status = response.status().as_u16();
                    let violations = violations(response.headers());
                    let failure = response.extensions().get::<#runtime_path::DecodeFailure>().map(|f| f.to_string());
                    let body = response.text().await.unwrap_or_default();
                    let message = match failure {
                        Some(failure) => format!("the body of {status} does not decode {failure}: {body}"),
                        None => format!("{} {status}: {body}", #UNDOCUMENTED),
                    };
                    Outcome { status: Some(status), decoded: false, message, body: Some(body), violations, timed_out: false }
                }
                Err(#runtime_path::Error::ErrorResponse(response)) => Outcome {
                    status: Some(response.status().as_u16()),
                    decoded: false,
                    violations: violations(response.headers()),
                    message: format!("{:?}", response.into_inner()),
                    body: None,
                    timed_out: false,
                },
                Err(error) => Outcome {
                    timed_out: matches!(&error, #runtime_path::Error::CommunicationError(e) if e.is_timeout()),
                    status: error.status().map(|s| s.as_u16()),
                    decoded: false,
                    // reqwest's message ("error sending request") hides why: a timeout, a
                    // closed connection, a refused one.
                    message: {
                        let mut message = error.to_string();
                        let mut source = ::std::error::Error::source(&error);
                        while let Some(cause) = source {
                            message.push_str(&format!(": {cause}"));
                            source = cause.source();
                        }
                        message
                    },
                    body: None,
                    violations: String::new(),
                },
            }
        }

        fn record(operation: &str, outcome: Result<Outcome, String>) -> String {
            let value = match outcome {
                Ok(o) => ::serde_json::json!({"operation": operation, "status": o.status, "decoded": o.decoded, "message": o.message, "body": o.body, "violations": o.violations, "timed_out": o.timed_out}),
                Err(why) => ::serde_json::json!({"operation": operation, "status": null, "decoded": false, "sample_refused": why}),
            };
            value.to_string()
        }

        #(#modules)*

        #[::tokio::main(flavor = "current_thread")]
        async fn main() {
            let mut arguments = ::std::env::args().skip(1);
            let base = arguments.next().expect("the base URL is the first argument");
            let api = arguments.next().expect("the API is the second argument");
            // A file naming the operations already called, one per line (a run resumed after
            // Prism stopped).
            let skip = arguments.next().map(|path| ::std::fs::read_to_string(path).expect("the skip file reads")).unwrap_or_default();
            let skip: Vec<&str> = skip.lines().filter(|s| !s.is_empty()).collect();
            let mut out = Vec::new();
            #( if api == #apis { #calls(&base, &skip, &mut out).await; } )*
            for line in out {
                println!("{line}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_body_schema_is_the_json_one_else_the_text_one_resolved() {
        let normalized = serde_json::json!({
            "paths": {"/flag": {
                "put": {"requestBody": {"content": {
                    "text/plain": {"schema": {"type": "boolean"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Flag"}}
                }}},
                "post": {"requestBody": {"content": {"text/plain": {"schema": {"type": "integer"}}}}}
            }},
            "components": {"schemas": {"Flag": {"type": "object", "anyOf": [{"required": ["on"]}]}}}
        });
        let put = documented_body_schema("/paths/~1flag/put", &normalized).unwrap();
        assert_eq!(put["anyOf"][0]["required"], serde_json::json!(["on"]), "JSON first, its $ref resolved");
        let post = documented_body_schema("/paths/~1flag/post", &normalized).unwrap();
        assert_eq!(post, serde_json::json!({"type": "integer"}));
        assert!(documented_body_schema("/paths/~1flag/get", &normalized).is_none());
    }

    #[test]
    fn setter_types_come_from_the_try_into_bound() {
        let file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListPets<'a> {
                    pub fn limit<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::num::NonZeroU64> { self }
                    pub fn body<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::Pet>, <V as std::convert::TryInto<types::Pet>>::Error: std::fmt::Display { self }
                    pub async fn send(self) {}
                }
            }
        };
        let types = setter_types(&file);
        let pets = &types["ListPets"];
        assert_eq!(pets.len(), 2, "send has no value");
        assert!(!types.contains_key("PostTracks"), "an operation the client lacks has no entry");
        assert_eq!(pets["limit"].to_token_stream().to_string(), ":: std :: num :: NonZeroU64");
        assert_eq!(pets["body"].to_token_stream().to_string(), "types :: Pet");
    }

    #[test]
    fn builders_in_the_parts_of_a_split_module_are_found() {
        let main = "pub mod builder { include!(\"pets.rs\"); }";
        let part = "impl<'a> ListPets<'a> { pub fn limit<V>(mut self, value: V) -> Self where V: std::convert::TryInto<u64> { self } }";
        let setters = setters_in(&[main, part]).unwrap();
        assert_eq!(setters["ListPets"].keys().collect::<Vec<_>>(), ["limit"]);
        assert!(setters_in(&[main, "impl {"]).is_err(), "a part that does not parse is an error");
    }

    #[test]
    fn setters_are_looked_up_as_progenitor_may_name_them() {
        assert!(setter_candidates("teamId").contains(&"team_id".to_string()));
        assert!(setter_candidates("type").contains(&"type_".to_string()));
    }
}
