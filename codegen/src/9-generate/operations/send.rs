//! An operation's `send` and the request it sends.
//!
//! `__request` checks every value given (one call reporting every broken one), builds the URL
//! (each path parameter percent-encoded by the runtime), the headers and query parameters by
//! their documented names and styles, and the body by its media type. `send` hands the request
//! to the client's `exchange` (credentials, retries, time limits) and decodes the response by
//! its status: a documented success into the success type, a documented error into the error
//! type (or its status's variant when error bodies differ), anything else as an unexpected
//! response, whole.
//!
//! `send` is a plain function returning the runtime's `respond` future (a state machine per
//! operation made large clients slow to type-check); an operation whose response is a byte
//! stream keeps an `async fn`, since `respond` reads the body whole.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::builder::unique_ident;
use super::typed::{extract, BodyKind, OperationTypes, ParamKind, ResponseKind, Status, TypeTable};
use crate::model::naming::ident;
use crate::plan::OperationPlan;

/// `send`, `__request`, and the types `send` returns.
pub(super) struct Send {
    /// The `send` method.
    pub send: TokenStream,
    /// The `__request` method.
    pub request: TokenStream,
    /// The success type (`ResponseValue<T>`'s `T`).
    pub success: TokenStream,
    /// The error type (`Error<E>`'s `E`).
    pub error: TokenStream,
    /// The methods that read the answer another way: `events()` or `lines()` when the
    /// operation documents a streamed answer, `send_<media>()` per other media type.
    pub stream: Option<TokenStream>,
}

/// What a documented status's arm does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// A success whose body is JSON.
    Decode,
    /// A success without a body.
    Empty,
    /// A success whose body is streamed.
    Stream,
    /// An error whose body is the error type.
    DecodeError,
    /// An error without a body.
    EmptyError,
    /// An error whose body is streamed.
    StreamError,
    /// A status not documented: the response, whole.
    Unexpected,
}

/// One arm of the status match.
struct Arm {
    pattern: Pattern,
    outcome: Outcome,
    /// The variant of the operation's error enum, when errors are decoded by status.
    variant: Option<TokenStream>,
}

#[derive(Clone, PartialEq, Eq)]
enum Pattern {
    Codes(Vec<u16>),
    Range(u16, u16, bool),
    Any,
}

pub(super) fn send(operation: &OperationPlan, types: &OperationTypes, typed: &TypeTable, client: &Ident) -> Send {
    let (successes, success_kind) = extract(&types.responses, Status::is_success_or_default);
    let (errors, error_kind) = extract(&types.responses, Status::is_error_or_default);
    let kind_type = |kind: &ResponseKind| match kind {
        ResponseKind::Type(id) => typed.ident(id),
        ResponseKind::None => quote!(()),
        ResponseKind::Raw => quote!(ByteStream),
    };
    let success = kind_type(&success_kind);
    let error_enum =
        (!operation.errors_by_status.is_empty()).then(|| crate::generate::errors_by_status::enum_name(operation));
    let error = match &error_enum {
        Some(name) => quote!(super::errors::#name),
        None => kind_type(&error_kind),
    };
    let variants: Vec<crate::generate::errors_by_status::StatusVariant> =
        if error_enum.is_some() { crate::generate::errors_by_status::variants(operation) } else { Vec::new() };
    let mut arms: Vec<Arm> = Vec::new();
    for response in &successes {
        let pattern = match response.status {
            Status::Code(code) => Pattern::Codes(vec![code]),
            Status::Range(_) | Status::Default => Pattern::Range(200, 299, false),
        };
        let outcome = match response.kind {
            ResponseKind::Type(_) => Outcome::Decode,
            ResponseKind::None => Outcome::Empty,
            ResponseKind::Raw => Outcome::Stream,
        };
        arms.push(Arm { pattern, outcome, variant: None });
    }
    for response in &errors {
        let pattern = match response.status {
            Status::Code(code) => Pattern::Codes(vec![code]),
            Status::Range(range) => Pattern::Range(range * 100, range * 100 + 99, true),
            Status::Default => Pattern::Any,
        };
        let outcome = match response.kind {
            ResponseKind::Type(_) => Outcome::DecodeError,
            ResponseKind::None => Outcome::EmptyError,
            ResponseKind::Raw => Outcome::StreamError,
        };
        let key = pattern_key(&pattern);
        let variant = variants.iter().find(|v| v.pattern == key).zip(error_enum.as_ref()).map(|(v, name)| {
            let variant = &v.variant;
            quote!(super::errors::#name::#variant)
        });
        arms.push(Arm { pattern, outcome, variant });
    }
    // A 2xx the operation does not document (a `201` where the spec says `200`) is read as its
    // one documented success, when it has one kind: servers do this constantly. A body that
    // does not decode is still an unexpected response, whole.
    // The success arms were pushed first, one per documented success.
    let success_outcomes: Vec<Outcome> = arms[..successes.len()].iter().map(|a| a.outcome).collect();
    let open_success = successes.iter().any(|r| !matches!(r.status, Status::Code(_)));
    if let (false, Some(outcome @ (Outcome::Decode | Outcome::Empty))) =
        (open_success, success_outcomes.first().copied())
    {
        if success_outcomes.iter().all(|o| *o == outcome) {
            arms.push(Arm { pattern: Pattern::Range(200, 299, false), outcome, variant: None });
        }
    }
    // A stable sort: specific statuses, then ranges, then the rest, each in its order.
    arms.sort_by_key(|arm| match arm.pattern {
        Pattern::Codes(_) => 0,
        Pattern::Range(..) => 1,
        Pattern::Any => 2,
    });
    if !arms.iter().any(|arm| arm.pattern == Pattern::Any) {
        arms.push(Arm { pattern: Pattern::Any, outcome: Outcome::Unexpected, variant: None });
    }
    let arms = merge_twins(arms);
    let streams = arms.iter().any(|arm| matches!(arm.outcome, Outcome::Stream | Outcome::StreamError));
    let send_doc = super::client::request_line(operation);
    let described = crate::generate::client_glue::operation_static(&operation.method_name);
    let status_arms: Vec<TokenStream> = arms.iter().map(|arm| arm_tokens(arm, !streams)).collect();
    let send = if streams {
        // A byte stream is handed on as it arrives: no deadline after the head, but the idle
        // timeout between chunks.
        quote! {
            #[doc = #send_doc]
            pub async fn send(self) -> Result<ResponseValue<#success>, Error<#error>> {
                let client = self.#client;
                let idle = client.inner.stream_idle;
                let request = self.__request()?;
                let response = client.exchange_stream(request, &super::#described).await?;
                match response.status().as_u16() {
                    #(#status_arms)*
                }
            }
        }
    } else {
        quote! {
            #[doc = #send_doc]
            pub fn send(self) -> impl ::std::future::Future<Output = Result<ResponseValue<#success>, Error<#error>>> + 'a {
                let client = self.#client;
                crate::runtime::respond(
                    self.__request().map(|request| client.exchange(request, &super::#described)),
                    |response| match response.status().as_u16() {
                        #(#status_arms)*
                    },
                )
            }
        }
    };
    // The client asks for JSON when an answer it decodes is JSON.
    let asks_json = matches!(
        (&success_kind, &error_kind),
        (ResponseKind::Type(_), _) | (ResponseKind::None, ResponseKind::Type(_))
    );
    let request = request(operation, types, typed, client, &error, asks_json);
    let error_arms: Vec<TokenStream> = arms
        .iter()
        .filter(|arm| !matches!(arm.outcome, Outcome::Decode | Outcome::Empty | Outcome::Stream))
        .map(|arm| arm_tokens(arm, false))
        .collect();
    let plain_error = match (&error_enum, &error_kind) {
        (None, ResponseKind::Type(_)) => Some(&error),
        _ => None,
    };
    let streamed = types
        .stream
        .as_ref()
        .map(|streamed| stream_method(operation, types, typed, client, streamed, &error_arms, &error, plain_error));
    let others =
        operation.other_media.iter().map(|other| other_media_method(operation, client, other, &error_arms, &error));
    let methods: Vec<TokenStream> = streamed.into_iter().chain(others).collect();
    let stream = (!methods.is_empty()).then(|| quote!(#(#methods)*));
    Send { send, request, success, error, stream }
}

/// `events()` (server-sent events) or `lines()` (JSON lines): the request `send` sends, asking
/// for the streamed media type (and with the body's stream flag set, where it has one); a
/// documented error status is the operation's error before any item; a success is a stream of
/// items decoded as they arrive. Events end at the documented sentinel, read an `error` event
/// as the operation's error type (`plain_error`, when it has one), and resume with
/// `Last-Event-ID` when a `GET` documents that header.
#[allow(clippy::too_many_arguments)]
fn stream_method(
    operation: &OperationPlan,
    types: &OperationTypes,
    typed: &TypeTable,
    client: &Ident,
    streamed: &super::typed::Streamed,
    error_arms: &[TokenStream],
    error: &TokenStream,
    plain_error: Option<&TokenStream>,
) -> TokenStream {
    use crate::model::streams::StreamKind;
    let item = streamed.item.as_ref().map_or_else(|| quote!(::serde_json::Value), |id| typed.ident(id));
    let media = &streamed.media_type;
    let described = crate::generate::client_glue::operation_static(&operation.method_name);
    let flag = types.stream_flag.as_ref().filter(|_| {
        types.params.iter().any(|p| {
            matches!(p.kind, ParamKind::Body(_)) && p.type_id.as_ref().is_some_and(|t| typed.builder(t).is_some())
        })
    });
    let builder = match flag {
        Some(setter) => {
            let setter = ident(setter);
            quote! {
                let mut this = self;
                this.body = this.body.map(|body| body.#setter(true));
            }
        }
        None => quote!(let this = self;),
    };
    let resumable = operation.method == "get"
        && operation
            .parameters
            .iter()
            .any(|p| p.location == "header" && p.wire_name.eq_ignore_ascii_case("last-event-id"));
    let (name, item_type, read, what) = match streamed.kind {
        StreamKind::Events => {
            let sentinel = streamed.sentinel.as_deref().unwrap_or("[DONE]");
            let named = match &streamed.named {
                Some(names) => quote!(Some(&[#(#names),*])),
                None => quote!(None),
            };
            let error_event = match plain_error {
                Some(error) => quote!(Some(|data: &str| ::serde_json::from_str::<#error>(data).ok())),
                None => quote!(None),
            };
            (
                quote!(events),
                quote!(crate::runtime::stream::Event<#item>),
                quote! {
                    crate::runtime::stream::events(response, crate::runtime::stream::Reading {
                        idle,
                        sentinel: #sentinel,
                        error_event: #error_event,
                        reconnect,
                        named: #named,
                    })
                },
                "server-sent events",
            )
        }
        StreamKind::JsonLines => {
            (quote!(lines), quote!(#item), quote!(crate::runtime::stream::lines(response, idle)), "JSON values")
        }
    };
    let reconnect = matches!(streamed.kind, StreamKind::Events).then(|| {
        let value = match resumable {
            true => quote! {
                request.try_clone().map(|template| {
                    let client = client.clone();
                    crate::runtime::stream::resuming(template, move |request| {
                        let client = client.clone();
                        async move { client.exchange_stream(request, &super::#described).await }
                    })
                })
            },
            false => quote!(None),
        };
        quote!(let reconnect = #value;)
    });
    let mut doc = format!(
        "{}, asking for `{media}`: the {what} of the answer, each decoded as it arrives.",
        super::client::request_line(operation)
    );
    if flag.is_some() {
        doc.push_str(" The body's stream flag is set to `true`; `send` leaves it as given.");
    }
    doc.push_str(
        "\n\nA documented error status is the operation's error, before any item. The stream ends with the \
         answer; a broken connection, silence longer than the client's `stream_idle` \
         (`RequestOptions::stream_idle`) or an item that does not decode is an error item, and the last. \
         Dropping the stream closes the connection.",
    );
    if matches!(streamed.kind, StreamKind::Events) {
        let sentinel = streamed.sentinel.as_deref().unwrap_or("[DONE]");
        doc.push_str(&format!(" An event whose data is `{sentinel}` ends the stream."));
        if streamed.named.is_some() {
            doc.push_str(
                " Each event's data is decoded as the variant its event name (`event:`) chooses; an event of \
                 another name is passed over.",
            );
        }
        if plain_error.is_some() {
            doc.push_str(" An event named `error` is the operation's error type, and the last item.");
        }
        if resumable {
            doc.push_str(
                " A broken connection is resumed: the request is sent again with `Last-Event-ID` set to the \
                 last event's id, after the server's `retry` time (3 s unless it sent one), up to 3 times in a row.",
            );
        }
    }
    let ok = quote!(impl ::futures_util::Stream<Item = Result<#item_type, Error<#error>>> + Unpin + Send);
    streaming_method(
        &name,
        &doc,
        &ok,
        media,
        builder,
        reconnect.unwrap_or_default(),
        read,
        operation,
        client,
        error_arms,
        error,
    )
}

/// `send_<media>()`: the request `send` sends, asking for another media type the success
/// documents, the answer's body handed on as bytes as it arrives.
fn other_media_method(
    operation: &OperationPlan,
    client: &Ident,
    other: &crate::plan::OtherMedia,
    error_arms: &[TokenStream],
    error: &TokenStream,
) -> TokenStream {
    let name = ident(&other.method);
    let media = &other.media_type;
    let doc = format!(
        "{}, asking for `{media}` (the success documents it beside the answer `send` reads): the answer's body \
         as bytes, handed on as it arrives.\n\nA documented error status is the operation's error. There is no \
         deadline after the answer's head, but silence longer than the client's `stream_idle` fails the byte \
         stream.",
        super::client::request_line(operation)
    );
    let read = quote!(crate::runtime::stream::bytes(response, idle));
    streaming_method(
        &quote!(#name),
        &doc,
        &quote!(ResponseValue<ByteStream>),
        media,
        quote!(let this = self;),
        TokenStream::new(),
        read,
        operation,
        client,
        error_arms,
        error,
    )
}

/// A method that sends the operation's request asking for `media` and reads a success with
/// `read` into `ok` (`read` sees `response`, `idle` and what `prepare` binds), after `builder`
/// adjusts the builder (`this`): an error status is decoded by `error_arms` into the
/// operation's error.
#[allow(clippy::too_many_arguments)]
fn streaming_method(
    name: &TokenStream,
    doc: &str,
    ok: &TokenStream,
    media: &str,
    builder: TokenStream,
    prepare: TokenStream,
    read: TokenStream,
    operation: &OperationPlan,
    client: &Ident,
    error_arms: &[TokenStream],
    error: &TokenStream,
) -> TokenStream {
    let described = crate::generate::client_glue::operation_static(&operation.method_name);
    quote! {
        #[doc = #doc]
        pub async fn #name(self) -> Result<#ok, Error<#error>> {
            let client = self.#client;
            let idle = client.inner.stream_idle;
            #builder
            let mut request = this.__request()?;
            request.headers_mut().insert(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static(#media));
            #prepare
            let response = client.exchange_stream(request, &super::#described).await?;
            if response.status().is_success() {
                return Ok(#read);
            }
            let failed: Result<ResponseValue<()>, Error<#error>> = match response.status().as_u16() {
                #(#error_arms)*
            };
            Err(crate::runtime::stream::failed(failed))
        }
    }
}

/// The pattern's key in [`crate::generate::errors_by_status::variants`]: `403`, `400..=499`, `_`.
fn pattern_key(pattern: &Pattern) -> String {
    match pattern {
        Pattern::Codes(codes) => codes.iter().map(u16::to_string).collect::<Vec<_>>().join("|"),
        Pattern::Range(low, high, _) => format!("{low}..={high}"),
        Pattern::Any => "_".into(),
    }
}

/// Status arms that do the same merged into the first of them (`200u16 | 201u16 => ...`).
fn merge_twins(arms: Vec<Arm>) -> Vec<Arm> {
    let mut merged: Vec<Arm> = Vec::with_capacity(arms.len());
    for arm in arms {
        let twin = merged.iter_mut().find(|kept| {
            matches!((&kept.pattern, &arm.pattern), (Pattern::Codes(_), Pattern::Codes(_)))
                && kept.outcome == arm.outcome
                && kept.variant.as_ref().map(ToString::to_string) == arm.variant.as_ref().map(ToString::to_string)
        });
        match (twin, &arm.pattern) {
            (Some(kept), Pattern::Codes(codes)) => {
                if let Pattern::Codes(into) = &mut kept.pattern {
                    into.extend(codes);
                }
            }
            _ => merged.push(arm),
        }
    }
    merged
}

fn arm_tokens(arm: &Arm, sync: bool) -> TokenStream {
    let pattern = match &arm.pattern {
        Pattern::Codes(codes) => quote!(#(#codes)|*),
        Pattern::Range(low, high, true) => quote!(#low..=#high),
        Pattern::Range(low, high, false) => {
            let (low, high) = (proc_macro2::Literal::u16_unsuffixed(*low), proc_macro2::Literal::u16_unsuffixed(*high));
            quote!(#low..=#high)
        }
        Pattern::Any => quote!(_),
    };
    let body = match (arm.outcome, &arm.variant) {
        (Outcome::Unexpected, _) => quote!(Err(Error::UnexpectedResponse(response))),
        (Outcome::Decode, _) if sync => quote!(crate::runtime::decoded(response)),
        (Outcome::Decode, _) => quote!(crate::runtime::decode(response).await),
        (Outcome::Empty, _) => quote!(Ok(ResponseValue::empty(response))),
        (Outcome::Stream, _) => quote!(Ok(crate::runtime::stream::bytes(response, idle))),
        (_, Some(variant)) if sync => quote!({ crate::runtime::decoded_error(response, #variant) }),
        (_, Some(variant)) => quote!({ crate::runtime::decode_error(response, #variant).await }),
        (Outcome::DecodeError, None) if sync => quote!(crate::runtime::decoded_as_error(response)),
        (Outcome::DecodeError, None) => quote!(crate::runtime::decode_as_error(response).await),
        (Outcome::EmptyError, None) => quote!(Err(Error::ErrorResponse(ResponseValue::empty(response)))),
        (Outcome::StreamError, None) => quote!(Err(Error::ErrorResponse(ResponseValue::stream(response)))),
    };
    quote!(#pattern => #body,)
}

/// `__request`: the values checked, then the request built.
fn request(
    operation: &OperationPlan,
    types: &OperationTypes,
    typed: &TypeTable,
    client: &Ident,
    error: &TokenStream,
    asks_json: bool,
) -> TokenStream {
    let names: Vec<Ident> = types.params.iter().map(|p| ident(&p.name)).collect();
    let url = unique_ident("url", &names);
    let header_map = unique_ident("header_map", &names);
    // Each value is a `Result`; a body given as its typify builder is built here.
    let mut checks: Vec<TokenStream> = Vec::new();
    let finalize = |p: &super::typed::Param| -> Option<TokenStream> {
        let id = p.type_id.as_ref()?;
        typed.builder(id)?;
        let ty = typed.ident(id);
        Some(quote!(.and_then(|v| #ty::try_from(v).map_err(|e| e.to_string()))))
    };
    match names.len() {
        0 => {}
        1 => {
            let (name, finalize) = (&names[0], finalize(&types.params[0]));
            checks.push(quote!(let #name = #name #finalize .map_err(Error::InvalidRequest)?;));
        }
        n => {
            for (p, name) in types.params.iter().zip(&names) {
                if let Some(finalize) = finalize(p) {
                    checks.push(quote!(let #name = #name #finalize;));
                }
            }
            if n <= crate::generate::runtime::MOST_CHECKED {
                checks.push(quote!(let (#(#names,)*) = crate::runtime::all_valid((#(#names,)*))?;));
            } else {
                checks.push(quote!(crate::runtime::all_of_valid(&[#(#names.as_ref().err()),*])?;));
                checks.extend(names.iter().map(|name| quote!(let #name = #name.map_err(Error::InvalidRequest)?;)));
            }
        }
    }
    let wire = |p: &super::typed::Param| {
        let location = p.kind.location()?;
        operation.parameters.iter().find(|planned| planned.name == p.api_name && planned.location == location)
    };
    // The URL.
    let mut format = String::from("{}");
    let mut path_values = Vec::new();
    let template = super::client::template(&operation.path);
    let mut rest = template.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |c| c + open);
        format.push_str(&rest[..open]);
        format.push_str("{}");
        let name = &rest[open + 1..close];
        let rust = types
            .params
            .iter()
            .find(|p| p.kind == ParamKind::Path && p.api_name == name)
            .map_or_else(|| ident(name), |p| ident(&p.name));
        path_values.push(quote!(encode_path(&#rust.to_string())));
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    format.push_str(rest);
    // Headers, by their documented names.
    let headers: Vec<TokenStream> = types
        .params
        .iter()
        .zip(&names)
        .filter_map(|(p, name)| {
            let ParamKind::Header(required) = p.kind else { return None };
            let planned = wire(p);
            let header = planned.map_or(p.api_name.clone(), |planned| planned.wire_name.clone());
            let is_array = planned.is_some_and(|planned| planned.is_array);
            let value = |of: TokenStream| match is_array {
                true => quote! {
                    #of.iter().map(::std::string::ToString::to_string).collect::<::std::vec::Vec<_>>().join(",").try_into()?
                },
                false => quote!(#of.to_string().try_into()?),
            };
            Some(if required {
                let value = value(quote!(#name));
                quote!(#header_map.append(#header, #value);)
            } else {
                let value = value(quote!(value));
                quote! {
                    if let Some(value) = #name {
                        #header_map.append(#header, #value);
                    }
                }
            })
        })
        .collect();
    // Query parameters, by their documented names and styles.
    let queries = types.params.iter().zip(&names).filter_map(|(p, name)| {
        let ParamKind::Query(_) = p.kind else { return None };
        let planned = wire(p);
        let key = planned.map_or(p.api_name.clone(), |planned| planned.wire_name.clone());
        Some(match planned {
            Some(planned) if planned.deep_object => quote!(.query(&crate::runtime::DeepObject::new(#key, &#name))),
            Some(planned) if planned.delimiter.is_some() => {
                let delimiter = planned.delimiter.as_deref().unwrap_or(",");
                quote!(.query(&crate::runtime::Delimited::new(#key, &#name, #delimiter)))
            }
            _ => quote!(.query(&progenitor_client::QueryParam::new(#key, &#name))),
        })
    });
    let accept = match (&operation.accept, asks_json) {
        (Some(accept), _) => Some(accept.as_str()),
        (None, true) => Some("application/json"),
        (None, false) => None,
    }
    .map(|accept| {
        quote! {
            .header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static(#accept))
        }
    });
    let method = match operation.method.as_str() {
        "options" | "trace" => {
            let verb = ident(&operation.method.to_ascii_uppercase());
            quote!(request(::reqwest::Method::#verb, #url))
        }
        other => {
            let verb = ident(other);
            quote!(#verb(#url))
        }
    };
    let mut chain = quote!(#client.client.#method #accept);
    let body = types.params.iter().find_map(|p| match &p.kind {
        ParamKind::Body(kind) => Some(kind.clone()),
        _ => None,
    });
    match body {
        Some(BodyKind::Json) => chain = quote!(#chain.json(&body)),
        Some(BodyKind::FormUrlencoded) => chain = quote!(crate::runtime::form_urlencoded(#chain, &body)?),
        Some(BodyKind::OctetStream) | Some(BodyKind::Text(_)) => {
            let media = match (&operation.body_content_type, &body) {
                (Some(media), _) => media.clone(),
                (None, Some(BodyKind::Text(media))) => media.clone(),
                _ => "application/octet-stream".to_string(),
            };
            chain = quote! {
                #chain
                    .header(::reqwest::header::CONTENT_TYPE, ::reqwest::header::HeaderValue::from_static(#media))
                    .body(body)
            };
        }
        None => {}
    }
    let chain = quote!(#chain #(#queries)*);
    let header_setup = (!headers.is_empty()).then(|| {
        let capacity = headers.len() + 1;
        quote! {
            #[allow(unused_mut)]
            let mut #header_map = ::reqwest::header::HeaderMap::with_capacity(#capacity);
            #(#headers)*
        }
    });
    let chain = match header_setup {
        Some(_) => quote!(#chain.headers(#header_map)),
        None => chain,
    };
    quote! {
        ///The request `send` sends: its parameters checked, its URL, headers and body built.
        fn __request(self) -> ::std::result::Result<::reqwest::Request, Error<#error>> {
            let Self { #client, #(#names),* } = self;
            #(#checks)*
            let #url = format!(#format, #client.baseurl, #(#path_values,)*);
            #header_setup
            Ok(#chain.build()?)
        }
    }
}
