//! Fixes to progenitor's output that the spec cannot express, made on each item's syntax tree.
//!
//! Some valid operations make progenitor 0.15 emit code that does not compile or warns. No
//! rewrite of the spec avoids them without changing what the client sends, so each generated
//! item is corrected where it is parsed for formatting (never by replacing text):
//! - `OPTIONS` and `TRACE` operations: `reqwest::Client` has no `options()` or `trace()`; the
//!   request is built with `request(Method::OPTIONS, url)` instead.
//! - A header parameter whose schema is an array: progenitor formats it with `to_string()`,
//!   which a `Vec` lacks; its items are joined with commas, as `style: simple` says.
//! - A `deepObject` query parameter with an object value ([`crate::lower::parameters`]):
//!   progenitor's `QueryParam` becomes the runtime's `DeepObject`, which sends
//!   `name[key]=value` pairs.
//! - A property renamed so its Rust field differs from another's
//!   ([`crate::lower::properties`]): the serializable struct gets `#[serde(rename)]` back to
//!   the documented name.
//! - typify's `defaults` helpers (`default_i64`, ...) are emitted whether used or not; each gets
//!   `#[allow(dead_code)]` so a client without such a default raises no warning.
//! - progenitor's `use super::types;` in a builder module whose operations use no type, and
//!   typify's variants for values such as `+1` (`plus1`): allowed, so they raise no warning.
//! - A status match where a range (`4XX`) is documented before a specific status (`404`):
//!   the range arm came first and the specific one never ran (`unreachable_patterns`); specific
//!   statuses are matched first.
//! - progenitor sends every request with an `api-version: <info.version>` header no spec
//!   documents; a server that validates headers may refuse it. The statement is removed (a
//!   documented `api-version` parameter is sent by a statement of its own, which stays).
//! - An operation whose error statuses document different bodies
//!   ([`crate::generate::errors_by_status`]): each error arm decodes its status's own type into
//!   its variant, and `send` returns that enum instead of `serde_json::Value`.
//! - typify's constrained strings (`maxLength`, `pattern`, ...) check their limits in
//!   `Deserialize` too, so a vendor's longer id failed the whole call. Their `Deserialize` keeps
//!   the value as sent; `parse` and `try_from`, which build values to send, still check.
//! - typify's string enums keep a value the vendor adds later (an `Unknown(String)` variant):
//!   [`open_enums`].
//! - Every JSON body is decoded by the runtime's `decode`, which keeps status, headers and the
//!   place decoding failed, instead of `ResponseValue::from_response`, whose error has none.
//! - An optional `nullable` field of a request type is three-state (left out, `null`, a value):
//!   [`explicit_null`].
//! - An array query parameter sent as one delimited value ([`crate::lower::parameters`]):
//!   progenitor's `QueryParam` becomes the runtime's `Delimited`, which joins the items.
//! - Builder errors keep typify's reason and name every broken value at once:
//!   [`builder_errors`].
//! - Each builder setter carries its field's or parameter's description, limits, default and
//!   example ([`crate::plan::setter_docs`]).
//! - typify's setters of optional fields take the value, not an `Option`, with a `set_` twin
//!   that takes the `Option`: [`optional_setters`].
//! - The builder of an operation that pages gets `stream()`, every item of every page:
//!   [`pagination`].
//! - A struct with a field that holds a secret prints `REDACTED` for it in `Debug`:
//!   [`redacted_debug`].
//! - A form body (`.form_urlencoded(&body)`, `serde_urlencoded`, which refuses arrays and
//!   objects) is encoded by the runtime's `form_urlencoded` instead: repeated keys for arrays,
//!   bracketed keys for objects.
//! - progenitor's `encode_path` leaves `\`, `[`, `]`, `|` and `^` in a path parameter, and the
//!   URL parser then turns `\` into `/`: the module imports the runtime's RFC 3986 encoder
//!   under the same name instead.
//! - Each `send` is kept small (type-checking time grows with it): the hooks run through one
//!   call, error arms decode through one call each, and arms that do the same merge:
//!   [`lean_send`].
//! - A plain struct's `Deserialize` is one `visit_map` and its `Serialize` one list of fields
//!   instead of serde's derives, reading and writing the same way: [`lean_deserialize`].
//! - A string enum reads and writes itself as a string instead of serde's derives:
//!   [`lean_string_enums`].
//! - An optional field typify boxes (its type contains its own struct) was sent as `null` when
//!   left out: it is skipped when empty, as every other optional field is.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{parse_quote, Expr, ExprMatch, ExprMethodCall, ItemImpl, Pat};

use crate::plan::ClientPlan;

mod builder_errors;
mod explicit_null;
pub(crate) mod lean_deserialize;
mod lean_send;
mod lean_string_enums;
mod open_enums;
mod optional_setters;
mod pagination;
mod redacted_debug;

use explicit_null::{three_state_fields, three_state_setter};
use open_enums::{collect_tagged_enums, display_unknown_values, open_string_enums};

/// What the fixes need to know about the spec the items came from.
#[derive(Debug, Default)]
pub struct ItemFixes {
    /// Builder type (one per operation, named after its operationId) → the wire names of its
    /// array-valued header parameters.
    array_headers: BTreeMap<String, BTreeSet<String>>,
    /// Property names given in lowering → the documented names.
    renamed_properties: BTreeMap<String, String>,
    /// Builder type → the wire names of its `deepObject` query parameters with object values.
    deep_objects: BTreeMap<String, BTreeSet<String>>,
    /// Builder type → its array query parameters sent as one delimited value → the delimiter.
    delimited: BTreeMap<String, BTreeMap<String, String>>,
    /// Builder type → its error enum and, per status arm pattern, the variant.
    errors_by_status: BTreeMap<String, ErrorEnum>,
    /// Rust type → its three-state fields.
    explicit_null: BTreeMap<String, BTreeSet<String>>,
    /// Builder type → its operation's method name and how it pages.
    paginated: BTreeMap<String, (String, crate::plan::PaginationPlan)>,
    /// Page struct → items field → item type, from the module's tokens.
    item_types: pagination::ItemTypes,
    /// Struct → field → its setter's doc comment.
    setter_docs: BTreeMap<String, BTreeMap<String, String>>,
    /// Struct → its fields that hold a secret, left out of `Debug`.
    sensitive: BTreeMap<String, BTreeSet<String>>,
    /// Enums with a serde tagging attribute (`#[serde(tag = "type")]`): not opened, so their
    /// `Display` (printed as its own item) gets no `Unknown` arm either.
    tagged_enums: BTreeSet<String>,
}

/// An operation's error enum and the variant of each status arm (by normalized pattern).
type ErrorEnum = (String, BTreeMap<String, String>);

impl ItemFixes {
    /// The fixes a client module needs, from its plan.
    pub fn new(plan: &ClientPlan) -> Self {
        let mut array_headers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut deep_objects: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut delimited: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for operation in &plan.operations {
            for parameter in &operation.parameters {
                let name = || parameter.name.clone();
                if parameter.location == "header" && parameter.is_array {
                    array_headers.entry(operation.builder_name.clone()).or_default().insert(name());
                }
                if parameter.deep_object {
                    deep_objects.entry(operation.builder_name.clone()).or_default().insert(name());
                }
                if let Some(delimiter) = &parameter.delimiter {
                    delimited.entry(operation.builder_name.clone()).or_default().insert(name(), delimiter.clone());
                }
            }
        }
        Self {
            array_headers,
            renamed_properties: plan.renamed_properties.clone(),
            deep_objects,
            delimited,
            errors_by_status: crate::generate::errors_by_status::rewrites(plan),
            tagged_enums: BTreeSet::new(),
            explicit_null: plan.explicit_null_fields.clone(),
            sensitive: plan.sensitive_fields.clone(),
            setter_docs: plan.setter_docs.clone(),
            paginated: plan
                .operations
                .iter()
                .filter_map(|o| Some((o.builder_name.clone(), (o.method_name.clone(), o.pagination.clone()?))))
                .collect(),
            item_types: BTreeMap::new(),
        }
    }

    /// Records which enums of `tokens` (the module about to be printed) carry a serde tagging
    /// attribute, so each item's fix knows it without the whole file's syntax tree.
    pub fn seeing(mut self, tokens: &proc_macro2::TokenStream) -> Self {
        collect_tagged_enums(tokens.clone(), &mut self.tagged_enums);
        let item_fields: BTreeSet<String> = self.paginated.values().filter_map(|(_, p)| p.items.clone()).collect();
        if !item_fields.is_empty() {
            pagination::collect_item_types(tokens.clone(), &item_fields, &mut self.item_types);
        }
        self
    }

    /// The fixes a module of types alone needs (no operations).
    pub fn for_types(renamed_properties: &BTreeMap<String, String>) -> Self {
        Self { renamed_properties: renamed_properties.clone(), ..Self::default() }
    }

    /// What the fixes do to the type `name` because of its name rather than its tokens, as text:
    /// two types with the same tokens are the same type only if this is the same too
    /// ([`crate::generate::layout::same_types`]).
    pub(crate) fn treatment_of(&self, name: &str) -> String {
        format!(
            "{:?} {:?} {:?} {}",
            self.explicit_null.get(name),
            self.sensitive.get(name),
            self.setter_docs.get(name),
            self.tagged_enums.contains(name)
        )
    }

    /// Applies every fix to the items of `file`.
    pub fn apply(&self, file: &mut syn::File) {
        Fixer {
            fixes: self,
            headers: None,
            deep_objects: None,
            errors: None,
            tagged: false,
            three_state: None,
            delimited: None,
        }
        .visit_file_mut(file);
        open_string_enums(&mut file.items);
        lean_string_enums::lean_string_enums(&mut file.items);
        redacted_debug::redact_debug(&mut file.items, &self.sensitive);
        lean_deserialize::lean_deserialize(&mut file.items);
        import_runtime_path_encoder(file);
    }
}

/// Gives each setter of `item` (a method taking `value`, named after a field) the doc comment
/// of its field, unless it has one.
fn document_setters(item: &mut ItemImpl, docs: &BTreeMap<String, String>) {
    for member in item.items.iter_mut() {
        let syn::ImplItem::Fn(setter) = member else { continue };
        let takes_value = setter.sig.inputs.iter().any(
            |input| matches!(input, syn::FnArg::Typed(t) if matches!(&*t.pat, Pat::Ident(p) if p.ident == "value")),
        );
        let name = setter.sig.ident.to_string();
        let Some(doc) = docs.get(name.trim_start_matches("r#")) else { continue };
        if takes_value && !setter.attrs.iter().any(|a| a.path().is_ident("doc")) {
            setter.attrs.insert(0, parse_quote!(#[doc = #doc]));
        }
    }
}

struct Fixer<'a> {
    fixes: &'a ItemFixes,
    /// The array headers of the builder whose `impl` is being visited.
    headers: Option<&'a BTreeSet<String>>,
    /// Its `deepObject` query parameters.
    deep_objects: Option<&'a BTreeSet<String>>,
    /// Its error enum, when its errors are decoded by status.
    errors: Option<&'a ErrorEnum>,
    /// Whether the `impl` is for a tagged enum, which is not opened.
    tagged: bool,
    /// The three-state fields of the type whose `impl` is being visited.
    three_state: Option<&'a BTreeSet<String>>,
    /// The builder's array query parameters sent as one delimited value.
    delimited: Option<&'a BTreeMap<String, String>>,
}

impl VisitMut for Fixer<'_> {
    fn visit_item_impl_mut(&mut self, item: &mut ItemImpl) {
        let builder = match &*item.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let outer = (self.headers, self.deep_objects, self.errors, self.tagged, self.three_state, self.delimited);
        self.delimited = builder.as_ref().and_then(|b| self.fixes.delimited.get(b));
        self.three_state = builder.as_ref().and_then(|b| self.fixes.explicit_null.get(b));
        self.tagged = builder.as_ref().is_some_and(|b| self.fixes.tagged_enums.contains(b));
        self.headers = builder.as_ref().and_then(|b| self.fixes.array_headers.get(b));
        self.deep_objects = builder.as_ref().and_then(|b| self.fixes.deep_objects.get(b));
        self.errors = builder.as_ref().and_then(|b| self.fixes.errors_by_status.get(b));
        visit_mut::visit_item_impl_mut(self, item);
        if item.trait_.is_none() && item.generics.params.is_empty() {
            optional_setters::value_setters(item);
        }
        if item.trait_.is_none() && !item.generics.params.is_empty() {
            lean_send::split_request(item);
        }
        if let Some(docs) =
            builder.as_ref().and_then(|b| self.fixes.setter_docs.get(b)).filter(|_| item.trait_.is_none())
        {
            document_setters(item, docs);
        }
        let paginated = builder.as_ref().and_then(|b| self.fixes.paginated.get(b));
        if let Some((method_name, plan)) =
            paginated.filter(|_| item.trait_.is_none() && !item.generics.params.is_empty())
        {
            pagination::add_stream(item, method_name, plan, &self.fixes.item_types);
        }
        // After `add_stream`, which reads the page type off `send`'s `Result`.
        let lifetime = item.generics.lifetimes().next().map(|param| param.lifetime.clone());
        if let Some(lifetime) = lifetime.filter(|_| item.trait_.is_none()) {
            item.items.iter_mut().for_each(|member| lean_send::respond_without_await(member, &lifetime));
        }
        (self.headers, self.deep_objects, self.errors, self.tagged, self.three_state, self.delimited) = outer;
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
        visit_mut::visit_impl_item_fn_mut(self, item);
        builder_errors::keep_conversion_reason(item);
        builder_errors::reasons_by_runtime(item);
        if item.sig.ident == "send" {
            builder_errors::report_every_invalid_value(&mut item.block);
            lean_send::one_exchange(&mut item.block);
        }
        if item.sig.ident == "try_from" {
            builder_errors::every_broken_field(item);
        }
        if self.three_state.is_some_and(|fields| fields.contains(&item.sig.ident.to_string())) {
            if let Some(where_clause) = &mut item.sig.generics.where_clause {
                three_state_setter(where_clause);
            }
        }
        if item.sig.ident == "fmt" && !self.tagged {
            display_unknown_values(&mut item.block);
        }
        if item.sig.ident == "deserialize" && checks_limits_when_decoding(&item.block) {
            item.block = parse_quote!({ Ok(Self(::std::string::String::deserialize(deserializer)?)) });
            return;
        }
        // `Result<ResponseValue<T>, Error<serde_json::Value>>` → `Error<super::errors::XError>`.
        let Some((name, _)) = self.errors.filter(|_| item.sig.ident == "send") else { return };
        let name = crate::model::naming::ident(name);
        let syn::ReturnType::Type(_, output) = &mut item.sig.output else { return };
        let mut retype = RetypeError(parse_quote!(super::errors::#name));
        retype.visit_type_mut(output);
    }

    fn visit_item_fn_mut(&mut self, item: &mut syn::ItemFn) {
        visit_mut::visit_item_fn_mut(self, item);
        let helper = item.sig.ident.to_string().starts_with("default_")
            && matches!(item.vis, syn::Visibility::Restricted(_))
            && item.sig.generics.params.iter().any(|p| matches!(p, syn::GenericParam::Const(_)));
        if helper && !item.attrs.iter().any(|a| a.path().is_ident("allow")) {
            item.attrs.push(parse_quote!(#[allow(dead_code)]));
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if let Expr::MethodCall(call) = expr {
            if call.method == "form_urlencoded" && call.args.len() == 1 {
                let (builder, body) = (&call.receiver, &call.args[0]);
                *expr = parse_quote!(crate::runtime::form_urlencoded(#builder, #body));
            }
        }
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        // progenitor imports `RequestBuilderExt` for `form_urlencoded`, which the runtime's
        // encoder replaces.
        let text = item.tree.to_token_stream().to_string();
        if text.contains("RequestBuilderExt") && !item.attrs.iter().any(|a| a.path().is_ident("allow")) {
            item.attrs.push(parse_quote!(#[allow(unused_imports)]));
        }
        let types = matches!(&item.tree, syn::UseTree::Path(p) if p.ident == "super"
            && matches!(&*p.tree, syn::UseTree::Name(n) if n.ident == "types"));
        if types && !item.attrs.iter().any(|a| a.path().is_ident("allow")) {
            item.attrs.push(parse_quote!(#[allow(unused_imports)]));
        }
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        visit_mut::visit_item_enum_mut(self, item);
        let lower = item.variants.iter().any(|v| v.ident.to_string().starts_with(|c: char| c.is_ascii_lowercase()));
        if lower {
            item.attrs.push(parse_quote!(#[allow(non_camel_case_types)]));
        }
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        visit_mut::visit_item_struct_mut(self, item);
        skip_absent_boxed_fields(item);
        if let Some(fields) = self.fixes.explicit_null.get(&item.ident.to_string()) {
            three_state_fields(item, fields);
        }
        if self.fixes.renamed_properties.is_empty() || !derives_serde(&item.attrs) {
            return;
        }
        for field in item.fields.iter_mut() {
            let Some(ident) = &field.ident else { continue };
            let serde_name = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            let Some(documented) = self.fixes.renamed_properties.get(&serde_name) else { continue };
            field.attrs.retain(|a| serde_rename(std::slice::from_ref(a)).is_none());
            field.attrs.push(parse_quote!(#[serde(rename = #documented)]));
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        visit_mut::visit_block_mut(self, block);
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !is_api_version_header(stmt));
        if block.stmts.len() == before {
            return;
        }
        // The map may now have nothing else appended to it.
        for stmt in &mut block.stmts {
            if let syn::Stmt::Local(local) = stmt {
                if local.pat.to_token_stream().to_string() == "mut header_map" {
                    local.attrs.push(parse_quote!(#[allow(unused_mut)]));
                }
            }
        }
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        let method = call.method.to_string();
        let on_client = matches!(&*call.receiver, Expr::Field(field) if matches!(&field.member, syn::Member::Named(m) if m == "client"));
        if on_client && call.args.len() == 1 && (method == "options" || method == "trace") {
            let verb = syn::Ident::new(&method.to_uppercase(), call.method.span());
            let url = call.args[0].clone();
            call.method = syn::Ident::new("request", call.method.span());
            call.args = parse_quote!(::reqwest::Method::#verb, #url);
            return;
        }
        // `header_map.append("X-Tags", value.to_string().try_into()?)` for an array header.
        let Some(headers) = self.headers else { return };
        let is_append = method == "append" && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("header_map"));
        let name = match call.args.first() {
            Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. })) => name.value(),
            _ => return,
        };
        if is_append && headers.contains(&name) {
            if let Some(value) = call.args.iter_mut().nth(1) {
                JoinItems.visit_expr_mut(value);
            }
        }
    }

    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        visit_mut::visit_expr_call_mut(self, call);
        let Expr::Path(function) = &mut *call.func else { return };
        let segments: Vec<String> = function.path.segments.iter().map(|s| s.ident.to_string()).collect();
        // `ResponseValue::from_response(response)`: decoded by the runtime, which keeps status,
        // headers and where decoding failed.
        if segments == ["ResponseValue", "from_response"] {
            function.path = parse_quote!(crate::runtime::decode);
            return;
        }
        let is_query_param = segments.ends_with(&["QueryParam".to_string(), "new".to_string()]);
        // `progenitor_client::QueryParam::new("ids", &ids)` for an array sent as one value.
        if let (true, Some(delimited)) = (is_query_param, self.delimited) {
            let delimiter = match call.args.first() {
                Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. })) => delimited.get(&name.value()),
                _ => None,
            };
            if let Some(delimiter) = delimiter {
                function.path = parse_quote!(crate::runtime::Delimited::new);
                call.args.push(parse_quote!(#delimiter));
                return;
            }
        }
        // `progenitor_client::QueryParam::new("filter", &filter)` for a deepObject parameter.
        let Some(deep_objects) = self.deep_objects else { return };
        let name = match call.args.first() {
            Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. })) => name.value(),
            _ => return,
        };
        if segments.ends_with(&["QueryParam".to_string(), "new".to_string()]) && deep_objects.contains(&name) {
            function.path = parse_quote!(crate::runtime::DeepObject::new);
        }
    }

    fn visit_expr_match_mut(&mut self, expr: &mut ExprMatch) {
        visit_mut::visit_expr_match_mut(self, expr);
        let on_status = matches!(&*expr.expr, Expr::MethodCall(call) if call.method == "as_u16");
        if let Some((name, variants)) = self.errors.filter(|_| on_status) {
            for arm in &mut expr.arms {
                let pattern = arm.pat.to_token_stream().to_string().replace("u16", "").replace(' ', "");
                let Some(variant) = variants.get(&pattern) else { continue };
                let (name, variant) = (crate::model::naming::ident(name), crate::model::naming::ident(variant));
                if arm.body.to_token_stream().to_string().contains("ErrorResponse") {
                    *arm.body =
                        parse_quote!(crate::runtime::decode_error(response, super::errors::#name::#variant).await);
                    arm.comma.get_or_insert_with(Default::default);
                }
            }
        }
        if on_status {
            // A stable sort: specific statuses, then ranges, then the rest, each in its order.
            expr.arms.sort_by_key(|arm| match &arm.pat {
                Pat::Lit(_) => 0,
                Pat::Range(_) => 1,
                _ => 2,
            });
            // A documented `default` is a catch-all arm of its own; the generator's final
            // "unexpected response" arm after it can never run.
            let mut wildcards = 0;
            expr.arms.retain(|arm| {
                !matches!(arm.pat, Pat::Wild(_)) || {
                    wildcards += 1;
                    wildcards == 1
                }
            });
            lean_send::lean_status_arms(expr);
        }
    }
}

/// Whether `stmt` is progenitor's `header_map.append(HeaderName::from_static("api-version"),
/// HeaderValue::from_static(Client::api_version()))`.
fn is_api_version_header(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(Expr::MethodCall(call), _) = stmt else { return false };
    let on_header_map = matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("header_map"));
    let text = call.args.to_token_stream().to_string();
    on_header_map && call.method == "append" && text.contains("\"api-version\"") && text.contains("api_version ()")
}

/// `use progenitor_client::{encode_path, ...}` becomes `use crate::runtime::encode_path` beside
/// the rest, so every path parameter of the module (and of its `builder` module, which imports
/// it from `super`) is encoded by the runtime.
fn import_runtime_path_encoder(file: &mut syn::File) {
    let mut found = false;
    for item in &mut file.items {
        let syn::Item::Use(item) = item else { continue };
        let syn::UseTree::Path(root) = &mut item.tree else { continue };
        if root.ident != "progenitor_client" {
            continue;
        }
        if let syn::UseTree::Group(group) = &mut *root.tree {
            let before = group.items.len();
            group.items = std::mem::take(&mut group.items)
                .into_iter()
                .filter(|tree| !matches!(tree, syn::UseTree::Name(n) if n.ident == "encode_path"))
                .collect();
            found |= group.items.len() != before;
        }
    }
    if found {
        let position = file.items.iter().position(|i| matches!(i, syn::Item::Use(_))).unwrap_or(0);
        file.items.insert(
            position,
            parse_quote!(
                #[allow(unused_imports)]
                use crate::runtime::encode_path;
            ),
        );
    }
}

/// typify boxes an optional field whose type contains its own struct (`parent: Box<Option<Team>>`)
/// and gives it `#[serde(default)]` but no `skip_serializing_if`, since `Option::is_none` does
/// not take a `Box`: a request left without it sent `"parent": null`, which a server that
/// validates refuses ("must be object"). Such a field is skipped when empty, as every other
/// optional field is.
fn skip_absent_boxed_fields(item: &mut syn::ItemStruct) {
    if !derives_serde(&item.attrs) {
        return;
    }
    for field in item.fields.iter_mut() {
        let skipped = field
            .attrs
            .iter()
            .any(|a| a.path().is_ident("serde") && a.meta.to_token_stream().to_string().contains("skip_serializing"));
        if has_serde_default(&field.attrs) && !skipped && is_boxed_option(&field.ty) {
            field.attrs.push(parse_quote!(#[serde(skip_serializing_if = "crate::runtime::is_boxed_none")]));
        }
    }
}

/// Whether a type is `Box<Option<T>>` (written with any path to either).
fn is_boxed_option(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else { return false };
    let Some(outer) = path.path.segments.last().filter(|_| explicit_null::last_segment(ty) == Some("Box")) else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &outer.arguments else { return false };
    matches!(arguments.args.first(), Some(syn::GenericArgument::Type(inner)) if explicit_null::last_segment(inner) == Some("Option"))
}

/// Whether a field has `#[serde(default)]` (alone or among other serde arguments).
fn has_serde_default(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("serde")).any(|a| {
        let text = a.meta.to_token_stream().to_string();
        text.contains("default ,") || text.ends_with("default)") || text.contains("(default")
    })
}

/// Whether the item derives serde's traits (typify's builder structs do not).
fn derives_serde(attrs: &[syn::Attribute]) -> bool {
    derives(attrs, "Serialize") || derives(attrs, "Deserialize")
}

/// The name in a field's `#[serde(rename = "...")]`, when it has one.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().filter(|a| a.path().is_ident("serde")).find_map(|a| {
        let mut found = None;
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                found = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        found
    })
}

/// Whether a `deserialize` body is typify's for a constrained string:
/// `String::deserialize(deserializer)?.parse().map_err(...)`, which checks the limits.
fn checks_limits_when_decoding(body: &syn::Block) -> bool {
    let text = body.to_token_stream().to_string();
    text.starts_with("{ :: std :: string :: String :: deserialize (deserializer) ? . parse ()")
}

/// Replaces the type argument of `Error<...>` in a method's return type.
struct RetypeError(syn::Type);

impl VisitMut for RetypeError {
    fn visit_path_segment_mut(&mut self, segment: &mut syn::PathSegment) {
        visit_mut::visit_path_segment_mut(self, segment);
        if segment.ident != "Error" {
            return;
        }
        if let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments {
            if let Some(syn::GenericArgument::Type(argument)) = arguments.args.first_mut() {
                *argument = self.0.clone();
            }
        }
    }
}

/// Turns `value.to_string()` into the comma-joined items of `value`.
struct JoinItems;

impl VisitMut for JoinItems {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr {
            if call.method == "to_string"
                && call.args.is_empty()
                && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("value"))
            {
                *expr = parse_quote! {
                    value.iter().map(::std::string::ToString::to_string).collect::<::std::vec::Vec<_>>().join(",")
                };
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// The paths a `derive` attribute lists; `None` for any other attribute.
fn derive_paths(attr: &syn::Attribute) -> Option<syn::punctuated::Punctuated<syn::Path, syn::Token![,]>> {
    if !attr.path().is_ident("derive") {
        return None;
    }
    attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated).ok()
}

/// Whether a `derive` attribute names `trait_name`.
pub(super) fn derives(attrs: &[syn::Attribute], trait_name: &str) -> bool {
    attrs
        .iter()
        .filter_map(derive_paths)
        .any(|paths| paths.iter().any(|p| p.segments.last().is_some_and(|s| s.ident == trait_name)))
}

/// Removes `trait_name` from the `derive` attributes, and a `derive` it leaves empty; whether
/// it was there.
pub(super) fn remove_derive(attrs: &mut Vec<syn::Attribute>, trait_name: &str) -> bool {
    let mut removed = false;
    attrs.retain_mut(|attr| {
        let Some(paths) = derive_paths(attr) else { return true };
        let kept: Vec<&syn::Path> =
            paths.iter().filter(|p| p.segments.last().is_none_or(|s| s.ident != trait_name)).collect();
        if kept.len() == paths.len() {
            return true;
        }
        removed = true;
        *attr = parse_quote!(#[derive(#(#kept),*)]);
        !kept.is_empty()
    });
    removed
}

#[cfg(test)]
mod tests {
    use quote::quote;
    use serde_json::json;

    use super::ItemFixes;

    fn fixed(fixes: &ItemFixes, item: proc_macro2::TokenStream) -> String {
        let mut file: syn::File = syn::parse2(item).unwrap();
        fixes.apply(&mut file);
        quote!(#file).to_string()
    }

    #[test]
    fn string_enums_keep_unknown_values_under_a_free_name_and_tagged_ones_stay_closed() {
        let plain = quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
            pub enum State { #[serde(rename = "unknown")] Unknown, #[serde(rename = "on")] On }
        };
        let out = fixed(&ItemFixes::default(), plain);
        assert!(out.contains("UnknownValue (:: std :: string :: String)"), "{out}");
        assert!(out.contains("_ => Self :: UnknownValue (value . into_owned ())"), "read into it: {out}");
        assert!(out.contains("Self :: Unknown => \"unknown\""), "as_str: {out}");
        assert!(!out.contains("Copy"), "a String variant is not Copy: {out}");
        let display = quote! {
            impl ::std::fmt::Display for State {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match *self { Self::Unknown => f.write_str("unknown"), Self::On => f.write_str("on") }
                }
            }
        };
        let out = fixed(&ItemFixes::default(), display.clone());
        assert!(out.contains("Self :: UnknownValue (ref value) => f . write_str (value)"), "{out}");

        let tagged = quote! {
            #[derive(::serde::Deserialize, Clone, Debug)]
            #[serde(tag = "type")]
            pub enum State { #[serde(rename = "on")] On }
        };
        let fixes = ItemFixes::default().seeing(&quote!(#tagged #display));
        assert!(!fixed(&fixes, tagged).contains("untagged"), "a tagged enum is an object, not a string");
        assert!(!fixed(&fixes, display).contains("UnknownValue"), "nor its Display");
    }

    #[test]
    fn options_and_trace_are_sent_with_their_method() {
        let out = fixed(&ItemFixes::default(), quote! { fn f() { let r = client.client.options(url).build(); } });
        assert!(out.contains("client . client . request (:: reqwest :: Method :: OPTIONS , url)"), "{out}");
        let untouched = fixed(&ItemFixes::default(), quote! { fn f() { builder.options(value); } });
        assert!(
            untouched.contains("builder . options (value)"),
            "a setter named options is not a request: {untouched}"
        );
    }

    #[test]
    fn array_headers_are_joined_with_commas() {
        let document = json!({"paths": {"/x": {"get": {"operationId": "listThings", "parameters": [
            {"name": "X-Tags", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "X-One", "in": "header", "schema": {"type": "string"}}
        ]}}}});
        let group = crate::lower::ServerGroup {
            base_url: String::new(),
            module: None,
            document,
            declares_webhooks: false,
            renamed_properties: Default::default(),
        };
        let fixes = ItemFixes::new(&crate::plan::plan(&group).0);
        let out = fixed(
            &fixes,
            quote! { impl<'a> ListThings<'a> { fn send() {
                if let Some(value) = x_tags { header_map.append("X-Tags", value.to_string().try_into()?); }
                if let Some(value) = x_one { header_map.append("X-One", value.to_string().try_into()?); }
            } } },
        );
        assert!(out.contains("\"X-Tags\" , value . iter () . map"), "{out}");
        assert!(out.contains("\"X-One\" , value . to_string ()"), "{out}");
    }

    #[test]
    fn renamed_properties_get_their_documented_name_back_on_serializable_structs() {
        let renamed = [("is_global_2".to_string(), "is_global".to_string())].into();
        let fixes = ItemFixes::for_types(&renamed);
        let out = fixed(
            &fixes,
            quote! {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct Settings {
                    #[serde(rename = "isGlobal")] pub is_global: Option<bool>,
                    pub is_global_2: Option<bool>,
                }
                pub struct Builder { is_global_2: Result<Option<bool>, String> }
            },
        );
        // The struct is plain, so its serde impls are generated and carry the names.
        assert!(out.contains("(\"isGlobal\" , :: std :: option :: Option :: Some (& self . is_global))"), "{out}");
        assert!(out.contains("(\"is_global\" , :: std :: option :: Option :: Some (& self . is_global_2))"), "{out}");
        assert!(out.contains("\"is_global\" => field_1 . fill (& mut map)"), "{out}");
        assert!(out.contains("pub struct Builder { is_global_2"), "a builder is not serialized: {out}");
    }

    #[test]
    fn the_undocumented_api_version_header_is_not_sent() {
        let out = fixed(
            &ItemFixes::default(),
            quote! { fn send() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                header_map.append("api-version", value.to_string().try_into()?);
            } },
        );
        assert!(!out.contains("api_version ()"), "{out}");
        assert!(out.contains("header_map . append (\"api-version\" , value"), "a documented one stays: {out}");
    }

    #[test]
    fn path_parameters_are_encoded_by_the_runtime() {
        let out = fixed(
            &ItemFixes::default(),
            quote! {
                use progenitor_client::{encode_path, ClientHooks, OperationInfo};
                pub mod builder { use super::{encode_path, ByteStream}; }
            },
        );
        assert!(out.starts_with("# [allow (unused_imports)] use crate :: runtime :: encode_path ;"), "{out}");
        assert!(out.contains("use progenitor_client :: { ClientHooks , OperationInfo }"), "{out}");
        assert!(out.contains("use super :: { encode_path , ByteStream }"), "the builder module follows: {out}");
    }

    #[test]
    fn specific_statuses_are_matched_before_ranges() {
        let out = fixed(
            &ItemFixes::default(),
            quote! { fn f() { match response.status().as_u16() {
                200u16 => a, 400u16..=499u16 => b, 404u16 => c, _ => d, _ => e,
            } } },
        );
        let order: Vec<usize> =
            ["200u16", "404u16", "400u16 ..= 499u16", "_ => d"].iter().map(|p| out.find(p).unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{out}");
        assert!(!out.contains("_ => e"), "the second catch-all never runs: {out}");
    }
}
