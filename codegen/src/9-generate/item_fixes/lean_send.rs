//! Smaller `send` bodies, doing what progenitor's did.
//!
//! `cargo check` of a large client spends about a fifth of its time type- and borrow-checking
//! the operations' `send` methods (1,222 on GitHub's API, `-Z self-profile`): each is an `async`
//! block whose size and number of `.await`s is what costs. What every `send` spells out the same
//! way becomes one call:
//! - progenitor's hook sequence (`pre`, `exec`, `post`, each awaited, then the result) becomes
//!   one call of the client module's `exchange` ([`crate::generate::client_glue`]), which runs
//!   the same hooks in the same order;
//! - an error status decoded into the operation's one error type
//!   (`Err(Error::ErrorResponse(decode(response).await?))`) becomes
//!   `crate::runtime::decode_as_error(response).await`;
//! - status arms whose bodies are the same are one arm (`401u16 | 403u16 => ...`);
//! - what comes before the exchange (checking the parameters, building the URL, headers and
//!   body) moves to a plain private method, `__request`: the `async` part, whose state holds
//!   every local that lives across an `.await`, is then the exchange and the status match alone;
//! - and when no status arm needs to await, `send` is not `async` at all: it returns the runtime's
//!   one generic future, `crate::runtime::respond`, which reads the body and hands the response
//!   to the status match.

use quote::ToTokens;
use syn::{parse_quote, Expr, ExprMatch, Pat, Stmt};

/// progenitor's statements, as tokens, after `let info = OperationInfo { .. };` up to
/// `let response = result?;`.
const HOOK_SEQUENCE: [&str; 4] = [
    "client . pre (& mut request , & info) . await ? ;",
    "let result = client . exec (request , & info) . await ;",
    "client . post (& result , & info) . await ? ;",
    "let response = result ? ;",
];

/// In `send`: progenitor's hook sequence becomes `let response = client.exchange(request,
/// "operation_id").await?;`. A block without the whole sequence is left as it is.
pub(super) fn one_exchange(block: &mut syn::Block) {
    let Some(start) = block.stmts.iter().position(|stmt| operation_id(stmt).is_some()) else { return };
    let Some(id) = operation_id(&block.stmts[start]) else { return };
    let end = start + 1 + HOOK_SEQUENCE.len();
    let Some(window) = block.stmts.get(start + 1..end) else { return };
    if !window.iter().zip(HOOK_SEQUENCE).all(|(stmt, expected)| stmt.to_token_stream().to_string() == expected) {
        return;
    }
    let call: Stmt = parse_quote!(let response = client.exchange(request, #id).await?;);
    block.stmts.splice(start..end, [call]);
}

/// In a builder's `impl`: `send` becomes `__request` (everything before the exchange, not
/// `async`) and an `async fn send` that exchanges what it returns. Left as it is when `send`
/// awaits before the exchange, or when what follows the exchange uses a local of what precedes
/// it other than `client`.
///
/// `__request` cannot meet a setter: setters are named after parameters in snake case, which
/// has no leading underscores.
pub(super) fn split_request(item: &mut syn::ItemImpl) {
    let Some(at) = item.items.iter().position(|member| matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
    else {
        return;
    };
    let syn::ImplItem::Fn(send) = &item.items[at] else { return };
    let Some((before, exchange, after)) = exchange_parts(&send.block) else { return };
    let Some(error) = error_type(&send.sig.output) else { return };
    if send.sig.asyncness.is_none() || send.sig.inputs.len() != 1 {
        return;
    }
    let before = built_request(before);
    let request: syn::ImplItemFn = parse_quote! {
        ///The request `send` sends: its parameters checked, its URL, headers and body built.
        fn __request(self) -> ::std::result::Result<::reqwest::Request, #error> {
            #(#before)*
        }
    };
    let mut send = send.clone();
    send.block = parse_quote!({
        let client = self.client;
        let request = self.__request()?;
        #exchange
        #(#after)*
    });
    item.items[at] = syn::ImplItem::Fn(send);
    item.items.insert(at + 1, syn::ImplItem::Fn(request));
}

/// In a builder's `impl` whose `send` was split by [`split_request`]: when every status arm
/// decodes a body read whole or has none, `send` stops being an `async fn` and returns the
/// runtime's one generic future, `crate::runtime::respond`, given the exchange and the status
/// match as a closure that awaits nothing (`decode(..).await` becomes `decoded(..)`, and so on).
///
/// An `async fn` is a state machine of its own to type- and borrow-check; on GitHub's client
/// this took peak memory of `cargo check` from 2,610 to 2,285 MiB and its wall time down by a
/// tenth or more. A `send` with an arm that streams its body, awaits anything else or is not of the
/// known forms stays as it is.
pub(super) fn respond_without_await(item: &mut syn::ImplItem, lifetime: &syn::Lifetime) {
    let syn::ImplItem::Fn(send) = item else { return };
    if send.sig.ident != "send" || send.sig.asyncness.is_none() || send.sig.inputs.len() != 1 {
        return;
    }
    let syn::ReturnType::Type(_, output) = &send.sig.output else { return };
    let [first, second, exchange, Stmt::Expr(Expr::Match(status_match), None)] = send.block.stmts.as_slice() else {
        return;
    };
    let split: [Stmt; 2] = [parse_quote!(let client = self.client;), parse_quote!(let request = self.__request()?;)];
    if [first, second].iter().zip(&split).any(|(stmt, expected)| compact(*stmt) != compact(expected)) {
        return;
    }
    let Some(operation_id) = exchanged_operation(exchange) else { return };
    if !matches!(&*status_match.expr, Expr::MethodCall(call) if call.method == "as_u16") {
        return;
    }
    let mut status_match = status_match.clone();
    for arm in &mut status_match.arms {
        let Some(body) = without_await(&arm.body) else { return };
        *arm.body = body;
        arm.comma.get_or_insert_with(Default::default);
    }
    let output = (**output).clone();
    send.sig.asyncness = None;
    send.sig.output = parse_quote!(-> impl ::std::future::Future<Output = #output> + #lifetime);
    send.block = parse_quote!({
        let client = self.client;
        crate::runtime::respond(
            self.__request().map(|request| client.exchange(request, #operation_id)),
            |response| #status_match,
        )
    });
}

/// The operation id of `let response = client.exchange(request, "id").await?;`.
fn exchanged_operation(stmt: &Stmt) -> Option<syn::LitStr> {
    let local = local_named(stmt, "response")?;
    let Expr::Try(tried) = &*local.init.as_ref()?.expr else { return None };
    let Expr::Await(awaited) = &*tried.expr else { return None };
    let Expr::MethodCall(call) = &*awaited.base else { return None };
    let on_client = matches!(&*call.receiver, Expr::Path(path) if path.path.is_ident("client"));
    let request_first = matches!(call.args.first(), Some(Expr::Path(path)) if path.path.is_ident("request"));
    if call.method != "exchange" || !on_client || !request_first || call.args.len() != 2 {
        return None;
    }
    match call.args.last()? {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. }) => Some(id.clone()),
        _ => None,
    }
}

/// A status arm's body as it reads when the body is already read: the runtime's decoding calls
/// without `.await`, and the arms that read no body as they are. `None` for any other arm.
fn without_await(body: &Expr) -> Option<Expr> {
    let spelled_body = spelled(body);
    let unchanged = [
        "Ok(ResponseValue::empty(response))",
        "Err(Error::ErrorResponse(ResponseValue::empty(response)))",
        "Err(Error::UnexpectedResponse(response))",
    ];
    if unchanged.contains(&spelled_body.as_str()) {
        return Some(body.clone());
    }
    let awaited = match body {
        Expr::Await(awaited) => &*awaited.base,
        Expr::Block(block) if block.block.stmts.len() == 1 => match &block.block.stmts[0] {
            Stmt::Expr(Expr::Await(awaited), None) => &*awaited.base,
            _ => return None,
        },
        _ => return None,
    };
    let Expr::Call(call) = awaited else { return None };
    let Expr::Path(function) = &*call.func else { return None };
    let segments: Vec<String> = function.path.segments.iter().map(|s| s.ident.to_string()).collect();
    let sync_name = match segments.as_slice() {
        [krate, runtime, name] if krate == "crate" && runtime == "runtime" => match name.as_str() {
            "decode" => "decoded",
            "decode_as_error" => "decoded_as_error",
            "decode_error" => "decoded_error",
            _ => return None,
        },
        _ => return None,
    };
    let on_response = matches!(call.args.first(), Some(Expr::Path(path)) if path.path.is_ident("response"));
    let plain_rest = call.args.iter().skip(1).all(|arg| matches!(arg, Expr::Path(_)));
    if !on_response || !plain_rest {
        return None;
    }
    let mut call = call.clone();
    let sync_ident = syn::Ident::new(sync_name, proc_macro2::Span::call_site());
    call.func = Box::new(parse_quote!(crate::runtime::#sync_ident));
    Some(Expr::Call(call))
}

/// The statements of `__request`, ending in the request they build: progenitor's
/// `let mut request = ...build()?;` becomes the block's value, `Ok(...build()?)`, and an empty
/// header map (`let mut header_map = HeaderMap::with_capacity(n);` that nothing inserts into),
/// with its `.headers(header_map)`, is left out.
fn built_request(before: &[Stmt]) -> Vec<Stmt> {
    let mentions = |tokens: proc_macro2::TokenStream, name: &str| idents(tokens).iter().any(|ident| ident == name);
    let mut stmts = before.to_vec();
    let chain =
        stmts.last().and_then(|last| local_named(last, "request")?.init.as_ref()).map(|init| (*init.expr).clone());
    let Some(mut chain) = chain else {
        stmts.push(parse_quote!(Ok(request)));
        return stmts;
    };
    stmts.pop();
    if let Some(at) = stmts.iter().position(|stmt| local_named(stmt, "header_map").is_some()) {
        let elsewhere =
            stmts.iter().enumerate().any(|(i, stmt)| i != at && mentions(stmt.to_token_stream(), "header_map"));
        let mut without = chain.clone();
        if !elsewhere
            && without_call(&mut without, "headers", "header_map")
            && !mentions(without.to_token_stream(), "header_map")
        {
            chain = without;
            stmts.remove(at);
        }
    }
    stmts.push(Stmt::Expr(parse_quote!(Ok(#chain)), None));
    stmts
}

/// `stmt` when it is `let <name> = ...;`.
fn local_named<'a>(stmt: &'a Stmt, name: &str) -> Option<&'a syn::Local> {
    match stmt {
        Stmt::Local(local) if matches!(&local.pat, Pat::Ident(binding) if binding.ident == name) => Some(local),
        _ => None,
    }
}

/// Takes the call `.method(argument)` out of a method chain (`?` allowed around it); whether
/// there was one.
fn without_call(expr: &mut Expr, method: &str, argument: &str) -> bool {
    match expr {
        Expr::Try(tried) => without_call(&mut tried.expr, method, argument),
        Expr::MethodCall(call) => {
            let is_it = call.method == method
                && call.args.len() == 1
                && matches!(call.args.first(), Some(Expr::Path(path)) if path.path.is_ident(argument));
            if !is_it {
                return without_call(&mut call.receiver, method, argument);
            }
            let receiver = (*call.receiver).clone();
            *expr = receiver;
            true
        }
        _ => false,
    }
}

/// Tokens as text without spacing.
fn compact(tokens: &impl ToTokens) -> String {
    let mut text = tokens.to_token_stream().to_string();
    text.retain(|c| !c.is_whitespace());
    text
}

/// A `send` body cut at `let response = client.exchange(request, ..).await?;`: the statements
/// before it (which start by destructuring `self` and await nothing), that statement, and the
/// statements after it (which use no local bound before it but `client`).
fn exchange_parts(block: &syn::Block) -> Option<(&[Stmt], &Stmt, &[Stmt])> {
    let is_exchange =
        |stmt: &Stmt| stmt.to_token_stream().to_string().starts_with("let response = client . exchange (request ,");
    let at = block.stmts.iter().position(is_exchange)?;
    let (before, rest) = block.stmts.split_at(at);
    let (exchange, after) = rest.split_first()?;
    let destructures_self = matches!(before.first(), Some(Stmt::Local(local))
        if matches!(&local.pat, Pat::Struct(fields) if fields.path.is_ident("Self")
            && fields.fields.iter().any(|f| matches!(&f.member, syn::Member::Named(n) if n == "client"))));
    let awaits = before.iter().any(|stmt| stmt.to_token_stream().to_string().contains("await"));
    if !destructures_self || awaits {
        return None;
    }
    let mut bound = std::collections::BTreeSet::new();
    for stmt in before {
        if let Stmt::Local(local) = stmt {
            bind(&local.pat, &mut bound);
        }
    }
    let used: Vec<String> = after.iter().flat_map(|stmt| idents(stmt.to_token_stream())).collect();
    if used.iter().any(|ident| ident != "client" && bound.contains(ident)) {
        return None;
    }
    Some((before, exchange, after))
}

/// The names a pattern binds.
fn bind(pat: &Pat, bound: &mut std::collections::BTreeSet<String>) {
    match pat {
        Pat::Ident(binding) => {
            bound.insert(binding.ident.to_string());
        }
        Pat::Struct(fields) => fields.fields.iter().for_each(|field| bind(&field.pat, bound)),
        Pat::Tuple(tuple) => tuple.elems.iter().for_each(|elem| bind(elem, bound)),
        Pat::TupleStruct(tuple) => tuple.elems.iter().for_each(|elem| bind(elem, bound)),
        Pat::Type(typed) => bind(&typed.pat, bound),
        Pat::Reference(reference) => bind(&reference.pat, bound),
        _ => {}
    }
}

/// Every identifier in `tokens`, groups included.
fn idents(tokens: proc_macro2::TokenStream) -> Vec<String> {
    tokens
        .into_iter()
        .flat_map(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => vec![ident.to_string()],
            proc_macro2::TokenTree::Group(group) => idents(group.stream()),
            _ => Vec::new(),
        })
        .collect()
}

/// `E` of `-> Result<T, E>`.
fn error_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else { return None };
    let syn::Type::Path(path) = &**ty else { return None };
    let last = path.path.segments.last().filter(|s| s.ident == "Result")?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.iter().nth(1)? {
        syn::GenericArgument::Type(error) => Some(error.clone()),
        _ => None,
    }
}

/// The operation id of `let info = OperationInfo { operation_id: "..." };`.
fn operation_id(stmt: &Stmt) -> Option<syn::LitStr> {
    let local = local_named(stmt, "info")?;
    let Expr::Struct(info) = &*local.init.as_ref()?.expr else { return None };
    if !info.path.is_ident("OperationInfo") || info.fields.len() != 1 {
        return None;
    }
    match &info.fields.first()?.expr {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. }) => Some(id.clone()),
        _ => None,
    }
}

/// In a match on the response status (its arms already sorted: specific statuses first):
/// an error arm decoding the one error type becomes one runtime call, and specific statuses
/// whose arms do the same thing become one arm, in the place of the first.
pub(super) fn lean_status_arms(expr: &mut ExprMatch) {
    let one_error_type: Expr = parse_quote!(Err(Error::ErrorResponse(crate::runtime::decode(response).await?)));
    let one_error_type = spelled(&one_error_type);
    for arm in &mut expr.arms {
        if arm.guard.is_none() && spelled(&arm.body) == one_error_type {
            *arm.body = parse_quote!(crate::runtime::decode_as_error(response).await);
            // A block arm needs no comma; the call that replaces it does.
            arm.comma.get_or_insert_with(Default::default);
        }
    }
    let mut merged: Vec<syn::Arm> = Vec::with_capacity(expr.arms.len());
    for arm in std::mem::take(&mut expr.arms) {
        let body = arm.body.to_token_stream().to_string();
        let twin = merged
            .iter_mut()
            .find(|kept| is_status(&arm) && is_status(kept) && kept.body.to_token_stream().to_string() == body);
        match twin {
            Some(kept) => {
                let mut cases = match std::mem::replace(&mut kept.pat, Pat::Verbatim(Default::default())) {
                    Pat::Or(or) => or.cases,
                    single => std::iter::once(single).collect(),
                };
                cases.push(arm.pat);
                kept.pat = Pat::Or(syn::PatOr { attrs: Vec::new(), leading_vert: None, cases });
            }
            None => merged.push(arm),
        }
    }
    expr.arms = merged;
}

/// An expression's tokens without spacing, a block of one expression (`{ Err(..) }`, as
/// progenitor writes arm bodies) read as that expression, and invisible groups as what they
/// hold: what two arms are compared by.
fn spelled(expr: &Expr) -> String {
    match expr {
        Expr::Block(block) if block.attrs.is_empty() && block.label.is_none() && block.block.stmts.len() == 1 => {
            if let Stmt::Expr(inner, None) = &block.block.stmts[0] {
                return spelled(inner);
            }
        }
        Expr::Group(group) => return spelled(&group.expr),
        _ => {}
    }
    compact(expr)
}

/// Whether an arm is for specific statuses (`404u16`, or several already merged) without a
/// guard: such arms can merge in any order, their patterns being disjoint.
fn is_status(arm: &syn::Arm) -> bool {
    let literal = |pat: &Pat| matches!(pat, Pat::Lit(_));
    arm.guard.is_none()
        && match &arm.pat {
            Pat::Or(or) => or.cases.iter().all(literal),
            pat => literal(pat),
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn the_hook_sequence_becomes_one_exchange() {
        let mut block: syn::Block = parse_quote!({
            let mut request = client.client.get(url).build()?;
            let info = OperationInfo { operation_id: "git_get_blob" };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                _ => Err(Error::UnexpectedResponse(response)),
            }
        });
        one_exchange(&mut block);
        let out = block.to_token_stream().to_string();
        assert!(out.contains("let response = client . exchange (request , \"git_get_blob\") . await ? ;"), "{out}");
        assert!(!out.contains("client . pre") && !out.contains("OperationInfo"), "{out}");
        assert_eq!(block.stmts.len(), 3, "{out}");
    }

    #[test]
    fn a_sequence_that_differs_is_left_alone() {
        let mut block: syn::Block = parse_quote!({
            let info = OperationInfo { operation_id: "x" };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            log(&result);
            let response = result?;
        });
        let before = block.to_token_stream().to_string();
        one_exchange(&mut block);
        assert_eq!(block.to_token_stream().to_string(), before);
    }

    #[test]
    fn send_builds_its_request_in_a_plain_method_and_awaits_only_the_exchange() {
        let mut item: syn::ItemImpl = parse_quote! {
            impl<'a> GetBlob<'a> {
                pub fn sha<V>(mut self, value: V) -> Self { self }
                pub async fn send(self) -> Result<ResponseValue<types::Blob>, Error<types::BasicError>> {
                    let Self { client, owner, sha } = self;
                    let owner = owner.map_err(Error::InvalidRequest)?;
                    let url = format!("{}/{}", client.baseurl, owner);
                    #[allow(unused_mut)]
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    #[allow(unused_mut)]
                    let mut request = client.client.get(url).headers(header_map).build()?;
                    let response = client.exchange(request, "git_get_blob").await?;
                    match response.status().as_u16() {
                        200u16 => crate::runtime::decode(response).await,
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
        };
        split_request(&mut item);
        let methods: Vec<String> = item
            .items
            .iter()
            .filter_map(|m| match m {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(methods, ["sha", "send", "__request"]);
        let (send, request) =
            (item.items[1].to_token_stream().to_string(), item.items[2].to_token_stream().to_string());
        assert!(
            send.contains(
                "{ let client = self . client ; let request = self . __request () ? ; let response = client . exchange"
            ),
            "{send}"
        );
        assert!(!send.contains("format !"), "{send}");
        assert!(
            request.contains("fn __request (self) -> :: std :: result :: Result < :: reqwest :: Request , Error < types :: BasicError > >"),
            "{request}"
        );
        assert!(request.contains("format !"), "{request}");
        assert!(
            request.ends_with("; Ok (client . client . get (url) . build () ?) }"),
            "the empty header map is gone: {request}"
        );
        assert!(!request.contains("header_map") && !request.contains("let mut request"), "{request}");
        assert!(!request.contains("async") && !request.contains("exchange"), "{request}");
    }

    #[test]
    fn a_header_map_with_headers_in_it_is_kept() {
        let mut item: syn::ItemImpl = parse_quote! {
            impl<'a> GetBlob<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let Self { client, trace } = self;
                    let url = format!("{}/blob", client.baseurl);
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    header_map.append("x-trace", trace.to_string().try_into()?);
                    let mut request = client.client.get(url).headers(header_map).build()?;
                    let response = client.exchange(request, "get_blob").await?;
                    match response.status().as_u16() {
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
        };
        split_request(&mut item);
        let request = item.items[1].to_token_stream().to_string();
        assert!(
            request.contains("let mut header_map = :: reqwest :: header :: HeaderMap :: with_capacity (1usize) ;"),
            "{request}"
        );
        assert!(
            request.ends_with("Ok (client . client . get (url) . headers (header_map) . build () ?) }"),
            "{request}"
        );
    }

    #[test]
    fn a_send_whose_status_match_reads_a_parameter_stays_whole() {
        let mut item: syn::ItemImpl = parse_quote! {
            impl<'a> GetBlob<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let Self { client, owner } = self;
                    let mut request = client.client.get(owner).build()?;
                    let response = client.exchange(request, "git_get_blob").await?;
                    match response.status().as_u16() {
                        _ => log(owner),
                    }
                }
            }
        };
        let before = item.to_token_stream().to_string();
        split_request(&mut item);
        assert_eq!(item.to_token_stream().to_string(), before);
    }

    #[test]
    fn error_arms_with_the_same_body_merge_and_the_rest_keep_their_order() {
        let mut expr: ExprMatch = syn::parse2(quote!(match response.status().as_u16() {
            200u16 => crate::runtime::decode(response).await,
            401u16 => {
                Err(Error::ErrorResponse(crate::runtime::decode(response).await?))
            }
            404u16 => Err(Error::ErrorResponse(ResponseValue::empty(response))),
            422u16 => Err(Error::ErrorResponse(crate::runtime::decode(response).await?)),
            400u16..=499u16 => Err(Error::ErrorResponse(crate::runtime::decode(response).await?)),
            _ => Err(Error::UnexpectedResponse(response)),
        }))
        .unwrap();
        lean_status_arms(&mut expr);
        let arms: Vec<String> = expr.arms.iter().map(|arm| arm.to_token_stream().to_string()).collect();
        assert_eq!(
            arms,
            [
                "200u16 => crate :: runtime :: decode (response) . await ,",
                "401u16 | 422u16 => crate :: runtime :: decode_as_error (response) . await ,",
                "404u16 => Err (Error :: ErrorResponse (ResponseValue :: empty (response))) ,",
                "400u16 ..= 499u16 => crate :: runtime :: decode_as_error (response) . await ,",
                "_ => Err (Error :: UnexpectedResponse (response)) ,",
            ]
        );
    }

    fn split_send(arms: proc_macro2::TokenStream) -> syn::ImplItem {
        parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Team>, Error<super::errors::GetTeamError>> {
                let client = self.client;
                let request = self.__request()?;
                let response = client.exchange(request, "teams_get").await?;
                match response.status().as_u16() { #arms }
            }
        }
    }

    #[test]
    fn a_send_whose_arms_decode_read_bodies_returns_the_runtime_future() {
        let mut send = split_send(quote! {
            200u16 => crate::runtime::decode(response).await,
            204u16 => Ok(ResponseValue::empty(response)),
            403u16 => {
                crate::runtime::decode_error(response, super::errors::GetTeamError::Forbidden).await
            }
            404u16 | 410u16 => crate::runtime::decode_as_error(response).await,
            _ => Err(Error::UnexpectedResponse(response)),
        });
        respond_without_await(&mut send, &parse_quote!('a));
        let out = send.to_token_stream().to_string();
        assert!(
            out.starts_with("pub fn send (self) -> impl :: std :: future :: Future < Output = Result < ResponseValue < types :: Team > , Error < super :: errors :: GetTeamError > > > + 'a {"),
            "{out}"
        );
        assert!(
            out.contains("crate :: runtime :: respond (self . __request () . map (| request | client . exchange (request , \"teams_get\")) , | response | match response . status () . as_u16 () {"),
            "{out}"
        );
        for arm in [
            "200u16 => crate :: runtime :: decoded (response) ,",
            "204u16 => Ok (ResponseValue :: empty (response)) ,",
            "403u16 => crate :: runtime :: decoded_error (response , super :: errors :: GetTeamError :: Forbidden) ,",
            "404u16 | 410u16 => crate :: runtime :: decoded_as_error (response) ,",
            "_ => Err (Error :: UnexpectedResponse (response)) ,",
        ] {
            assert!(out.contains(arm), "{arm} in {out}");
        }
        assert!(!out.contains("await") && !out.contains("async"), "{out}");
    }

    #[test]
    fn a_send_that_streams_or_awaits_anything_else_stays_async() {
        for arms in [
            quote!(200u16 => Ok(ResponseValue::stream(response)), _ => Err(Error::UnexpectedResponse(response)),),
            quote!(101u16 => ResponseValue::upgrade(response).await, _ => Err(Error::UnexpectedResponse(response)),),
            quote!(200u16 => crate::runtime::decode(other).await, _ => Err(Error::UnexpectedResponse(response)),),
        ] {
            let mut send = split_send(arms);
            let before = send.to_token_stream().to_string();
            respond_without_await(&mut send, &parse_quote!('a));
            assert_eq!(send.to_token_stream().to_string(), before);
        }
        // Not split: what comes before the exchange is still in `send`.
        let mut send: syn::ImplItem = parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                let Self { client, owner } = self;
                let request = client.client.get(owner).build()?;
                let response = client.exchange(request, "x").await?;
                match response.status().as_u16() { _ => Err(Error::UnexpectedResponse(response)), }
            }
        };
        let before = send.to_token_stream().to_string();
        respond_without_await(&mut send, &parse_quote!('a));
        assert_eq!(send.to_token_stream().to_string(), before);
    }
}
