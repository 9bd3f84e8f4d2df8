//! The Rust types of a client: typify driven as progenitor drives it, so the `types` module is
//! the one progenitor generated, and each operation's parameters, body and responses are known
//! by their typify `TypeId` instead of being read back from generated methods.
//!
//! The order of the `add_type_with_name` calls and the names given are progenitor-impl
//! 0.15.1's (`Generator::generate_tokens`, `process_operation`, `get_body_param`); the shape
//! canary in `tests/operations.rs` compares this module's `types` with progenitor's on every
//! fixture, so a difference after an upgrade fails a test instead of changing a client.

use std::collections::BTreeMap;

use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, StatusCode};
use proc_macro2::TokenStream;
use quote::quote;
use typify::{TypeId, TypeSpace, TypeSpaceSettings};

use super::to_schema::ToSchema;
use crate::model::naming::generator_name;

/// The types of one client and what each operation takes and returns.
pub struct Typed {
    /// Every type, named as progenitor names them.
    pub space: TypeSpace,
    /// Per operation, as `(path, method)`, in the order progenitor generated them: paths in
    /// the document's order, each path's methods in `openapiv3::PathItem::iter`'s.
    pub operations: Vec<((String, String), OperationTypes)>,
}

/// What one operation takes and returns, as typify types.
#[derive(Clone, Debug)]
pub struct OperationTypes {
    /// Its parameters and body, in progenitor's order: path parameters in the template's
    /// order, then query parameters by name, headers by name, the body last.
    pub params: Vec<Param>,
    /// Its documented responses, `default` first, then the statuses in the document's order.
    pub responses: Vec<Response>,
    /// The streamed answer it documents (server-sent events, JSON lines), when it has one.
    pub stream: Option<Streamed>,
    /// The builder setter of its JSON body's boolean property that switches the answer to the
    /// stream (chat APIs' `stream`), when it has one ([`stream_flag`]): the streaming method
    /// sets it.
    pub stream_flag: Option<String>,
    /// Its summary, when not empty.
    pub summary: Option<String>,
    /// Its description, when not empty.
    pub description: Option<String>,
}

/// A streamed answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Streamed {
    /// How its items are cut.
    pub kind: crate::model::streams::StreamKind,
    /// Its documented media type, sent as `Accept`.
    pub media_type: String,
    /// The type of each item (an event's data, a line), when documented; any JSON otherwise.
    pub item: Option<TypeId>,
    /// The event data that ends the stream, when the media type documents one
    /// (`x-codegen-stream-sentinel`, or a generator's `x-…-sse-sentinel`).
    pub sentinel: Option<String>,
    /// The event names, when the item type has one variant per name
    /// ([`crate::lower::events::NAMED_EVENTS`]).
    pub named: Option<Vec<String>>,
}

/// A parameter or the body.
#[derive(Clone, Debug)]
pub struct Param {
    /// Its Rust name (`body` for the body).
    pub name: String,
    /// Its documented name (`body` for the body).
    pub api_name: String,
    /// Where it goes.
    pub kind: ParamKind,
    /// Its type; `None` for a body sent as bytes.
    pub type_id: Option<TypeId>,
    /// Its description.
    pub description: Option<String>,
}

/// Where a parameter goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// In the path.
    Path,
    /// In the query string; whether it must be given.
    Query(bool),
    /// In a header; whether it must be given.
    Header(bool),
    /// The body, with its media type.
    Body(BodyKind),
}

impl ParamKind {
    /// Whether the builder starts without a value and fails if none is given.
    pub fn is_required(&self) -> bool {
        matches!(self, Self::Path | Self::Query(true) | Self::Header(true) | Self::Body(_))
    }

    /// Its `in` as the document says it (`path`, `query`, `header`); `None` for the body.
    pub fn location(&self) -> Option<&'static str> {
        match self {
            Self::Path => Some("path"),
            Self::Query(_) => Some("query"),
            Self::Header(_) => Some("header"),
            Self::Body(_) => None,
        }
    }
}

/// How a body is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// Bytes, as given.
    OctetStream,
    /// A JSON value of its type.
    Json,
    /// A form of its type.
    FormUrlencoded,
    /// Text, with this media type.
    Text(String),
}

/// A documented response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Response {
    /// Its status.
    pub status: Status,
    /// What its body is.
    pub kind: ResponseKind,
}

/// A documented status: a code, a range (`4XX` is `Range(4)`), or `default`. Ordered as
/// progenitor orders arms: codes, then ranges, then `default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status.
    Code(u16),
    /// `1XX` … `5XX`.
    Range(u16),
    /// `default`.
    Default,
}

impl Status {
    /// Whether a success is documented by it (or it may be one).
    pub fn is_success_or_default(&self) -> bool {
        matches!(self, Self::Default | Self::Code(101) | Self::Code(200..=299) | Self::Range(2))
    }

    /// Whether an error is documented by it (or it may be one).
    pub fn is_error_or_default(&self) -> bool {
        matches!(self, Self::Default | Self::Code(400..=599) | Self::Range(4..=5))
    }
}

/// What a response's body is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResponseKind {
    /// JSON of this type.
    Type(TypeId),
    /// Nothing.
    None,
    /// Bytes of another media type.
    Raw,
}

/// The settings progenitor gives typify; `builders`: whether structs get typify's builders
/// (progenitor's setting; a module whose types are only received, such as the webhooks', has no
/// use for them).
fn settings(builders: bool) -> TypeSpaceSettings {
    let mut settings = TypeSpaceSettings::default();
    settings.with_type_mod("types").with_struct_builder(builders);
    settings
}

/// The types of `spec` and of each of its operations.
///
/// # Errors
/// What typify refuses, or an operation the client cannot express (a parameter style, a body
/// media type, or successes or errors of more than one kind of body). typify may also panic;
/// the caller catches it.
pub fn resolve(spec: &OpenAPI) -> Result<Typed, String> {
    resolve_with(spec, true)
}

/// [`resolve`], with or without typify's struct builders (see [`settings`]).
///
/// # Errors
/// As [`resolve`].
pub fn resolve_with(spec: &OpenAPI, builders: bool) -> Result<Typed, String> {
    let mut space = TypeSpace::new(&settings(builders));
    let schemas = spec
        .components
        .iter()
        .flat_map(|components| components.schemas.iter().map(|(name, schema)| (name.clone(), schema.to_schema())));
    space.add_ref_types(schemas).map_err(|e| e.to_string())?;
    let mut operations = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else { return Err(format!("path {path} uses reference, unsupported")) };
        for (method, operation) in item.iter() {
            let Some(id) = operation.operation_id.as_deref() else {
                return Err(format!("path {path} is missing operation ID"));
            };
            let types = operation_types(&mut space, &spec.components, path, id, operation, &item.parameters)?;
            operations.push(((path.clone(), method.to_string()), types));
        }
    }
    Ok(Typed { space, operations })
}

impl Typed {
    /// The `types` module.
    pub fn types_module(&self) -> TokenStream {
        let types = self.space.to_stream();
        quote! {
            /// Types used as operation parameters and responses.
            #[allow(clippy::all)]
            pub mod types {
                #types
            }
        }
    }

    /// The Rust type of `id`, as the `builder` module names it.
    pub fn ident(&self, id: &TypeId) -> TokenStream {
        self.space.get_type(id).map(|t| t.ident()).unwrap_or_else(|_| quote!(::serde_json::Value))
    }

    /// The type's name as typify prints it in messages.
    pub fn name(&self, id: &TypeId) -> String {
        self.space.get_type(id).map(|t| t.name()).unwrap_or_default()
    }

    /// typify's builder of the type, when it has one.
    pub fn builder(&self, id: &TypeId) -> Option<TokenStream> {
        self.space.get_type(id).ok()?.builder()
    }

    /// What the builders of `operations` need to know of the types they mention, as text.
    pub fn table<'a>(&self, operations: impl Iterator<Item = &'a OperationTypes>) -> TypeTable {
        let mut names = std::collections::HashMap::new();
        for id in operations.flat_map(OperationTypes::type_ids) {
            names.entry(id.clone()).or_insert_with(|| TypeNames {
                ident: self.ident(id).to_string(),
                name: self.name(id),
                builder: self.builder(id).map(|b| b.to_string()),
            });
        }
        TypeTable { names }
    }
}

/// The names of the types operations' builders mention ([`Typed::ident`], [`Typed::name`],
/// [`Typed::builder`]), held as text: typify's `TypeSpace` holds token streams, which cannot
/// cross threads, and the builders (most of a large API's code) are emitted on a thread of
/// their own. With it, the type space can go as soon as the `types` module is generated.
#[derive(Debug, Default)]
pub struct TypeTable {
    names: std::collections::HashMap<TypeId, TypeNames>,
}

#[derive(Debug)]
struct TypeNames {
    ident: String,
    name: String,
    builder: Option<String>,
}

impl TypeTable {
    /// As [`Typed::ident`].
    pub fn ident(&self, id: &TypeId) -> TokenStream {
        self.entry(id).and_then(|names| names.ident.parse().ok()).unwrap_or_else(|| quote!(::serde_json::Value))
    }

    /// As [`Typed::name`].
    pub fn name(&self, id: &TypeId) -> String {
        self.entry(id).map(|names| names.name.clone()).unwrap_or_default()
    }

    /// As [`Typed::builder`].
    pub fn builder(&self, id: &TypeId) -> Option<TokenStream> {
        self.entry(id)?.builder.as_ref()?.parse().ok()
    }

    fn entry(&self, id: &TypeId) -> Option<&TypeNames> {
        let names = self.names.get(id);
        debug_assert!(names.is_some(), "type {id:?} is not in the table: `OperationTypes::type_ids` misses it");
        names
    }
}

impl OperationTypes {
    /// Every type it mentions: its parameters', its body's, its responses' and its stream's.
    pub fn type_ids(&self) -> impl Iterator<Item = &TypeId> {
        let params = self.params.iter().filter_map(|p| p.type_id.as_ref());
        let responses = self.responses.iter().filter_map(|r| match &r.kind {
            ResponseKind::Type(id) => Some(id),
            ResponseKind::None | ResponseKind::Raw => None,
        });
        let streamed = self.stream.iter().filter_map(|s| s.item.as_ref());
        params.chain(responses).chain(streamed)
    }
}

fn lookup<'a, T>(
    item: &'a ReferenceOr<T>,
    section: impl Fn(&'a Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    components: &'a Option<Components>,
) -> Result<&'a T, String> {
    let mut current = item;
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => {
                let key = reference.rsplit('/').next().unwrap_or_default();
                current = components
                    .as_ref()
                    .and_then(|c| section(c).get(key))
                    .ok_or_else(|| format!("reference {reference} is missing"))?;
            }
        }
    }
    Err("references loop".into())
}

fn operation_types(
    space: &mut TypeSpace,
    components: &Option<Components>,
    path: &str,
    id: &str,
    operation: &openapiv3::Operation,
    shared: &[ReferenceOr<Parameter>],
) -> Result<OperationTypes, String> {
    let parameter = |p| lookup(p, |c: &Components| &c.parameters, components);
    // By name, as progenitor's map: the operation's own override the path item's.
    let mut combined: BTreeMap<&String, &Parameter> = BTreeMap::new();
    for p in shared {
        let p = parameter(p)?;
        combined.insert(&p.parameter_data_ref().name, p);
    }
    for p in &operation.parameters {
        let p = parameter(p)?;
        combined.insert(&p.parameter_data_ref().name, p);
    }
    let mut params = Vec::new();
    for p in combined.values() {
        let data = p.parameter_data_ref();
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => schema.to_schema(),
            openapiv3::ParameterSchemaOrContent::Content(_) => {
                return Err(format!("parameter `{}` has content instead of a schema", data.name))
            }
        };
        let type_name = generator_name(&format!("{id}-{}", data.name), true);
        let kind = match p {
            Parameter::Path { style: openapiv3::PathStyle::Simple, .. } => ParamKind::Path,
            Parameter::Query { style: openapiv3::QueryStyle::Form, .. } => ParamKind::Query(data.required),
            Parameter::Header { style: openapiv3::HeaderStyle::Simple, .. } => ParamKind::Header(data.required),
            _ => return Err(format!("parameter `{}` has a style the client cannot send", data.name)),
        };
        let mut type_id = space.add_type_with_name(&schema, Some(type_name)).map_err(|e| e.to_string())?;
        let mut kind = kind;
        if let ParamKind::Query(_) = kind {
            // A type that is itself optional is an optional parameter of the inner type.
            let ty = space.get_type(&type_id).map_err(|e| e.to_string())?;
            let inner = match ty.details() {
                typify::TypeDetails::Option(inner) => Some(inner),
                _ => None,
            };
            if let Some(inner) = inner {
                type_id = inner;
                kind = ParamKind::Query(false);
            }
        }
        params.push(Param {
            name: generator_name(&data.name, false),
            api_name: data.name.clone(),
            kind,
            type_id: Some(type_id),
            description: data.description.clone(),
        });
    }
    if let Some(body) = body_param(space, components, id, operation)? {
        params.push(body);
    }
    let names = template_names(path)?;
    sort_params(&mut params, &names)?;
    let mut responses = Vec::new();
    let listed = operation.responses.default.iter().map(|r| (Status::Default, r)).chain(
        operation.responses.responses.iter().map(|(code, r)| match code {
            StatusCode::Code(code) => (Status::Code(*code), r),
            StatusCode::Range(range) => (Status::Range(*range), r),
        }),
    );
    let mut success = false;
    let mut stream = None;
    for (status, response) in listed {
        let response = lookup(response, |c: &Components| &c.responses, components)?;
        if stream.is_none() && status.is_success_or_default() {
            stream = streamed(space, id, response)?;
        }
        let json = response.content.iter().find_map(|(media, v)| {
            (media == "application/json" || media.starts_with("application/json;")).then_some(v)
        });
        let kind = if let Some(media) = json {
            let Some(schema) = &media.schema else { return Err("a JSON response without a schema".into()) };
            let name = generator_name(&format!("{id}-response"), true);
            ResponseKind::Type(space.add_type_with_name(&schema.to_schema(), Some(name)).map_err(|e| e.to_string())?)
        } else if response.content.first().is_some() {
            ResponseKind::Raw
        } else {
            ResponseKind::None
        };
        success |= status.is_success_or_default();
        responses.push(Response { status, kind });
    }
    if !success {
        responses.push(Response { status: Status::Range(2), kind: ResponseKind::Raw });
    }
    for (filter, what) in
        [(Status::is_success_or_default as fn(&Status) -> bool, "successes"), (Status::is_error_or_default, "errors")]
    {
        let kept = extract(&responses, filter).0;
        if kept.iter().any(|r| r.kind != kept[0].kind) {
            return Err(format!("operation `{id}` documents {what} with more than one kind of body"));
        }
    }
    let text = |t: &Option<String>| t.clone().filter(|t| !t.is_empty());
    let stream_flag = stream.as_ref().and_then(|_| stream_flag(space, &params, operation));
    Ok(OperationTypes {
        params,
        responses,
        stream,
        stream_flag,
        summary: text(&operation.summary),
        description: text(&operation.description),
    })
}

/// The first streamed media type `response` documents, with its item type (`<Op>Event`).
fn streamed(space: &mut TypeSpace, id: &str, response: &openapiv3::Response) -> Result<Option<Streamed>, String> {
    let found = response
        .content
        .iter()
        .find_map(|(media, content)| Some((crate::model::streams::stream_kind(media)?, media, content)));
    let Some((kind, media_type, content)) = found else { return Ok(None) };
    let item = match &content.schema {
        Some(schema) => {
            let name = generator_name(&format!("{id}-event"), true);
            Some(space.add_type_with_name(&schema.to_schema(), Some(name)).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    let sentinel = content.extensions.iter().find_map(|(key, value)| {
        let documents = key == SENTINEL || (key.starts_with("x-") && key.ends_with("-sse-sentinel"));
        documents.then(|| value.as_str().map(str::to_string)).flatten()
    });
    let named = content.extensions.get(crate::lower::events::NAMED_EVENTS).and_then(|names| {
        names.as_array()?.iter().map(|name| name.as_str().map(str::to_string)).collect::<Option<Vec<_>>>()
    });
    Ok(Some(Streamed { kind, media_type: media_type.clone(), item, sentinel, named }))
}

/// The media type extension that names the data ending an event stream (an overlay can set it).
pub const SENTINEL: &str = "x-codegen-stream-sentinel";

/// The operation extension that names the body property switching the answer to the stream,
/// or turns the guess off with `false` (an overlay can set it).
pub const STREAM_FLAG: &str = "x-codegen-stream-flag";

/// The setter of the body property that switches the answer to the stream: the one
/// [`STREAM_FLAG`] names (none when it is `false`), else the one a `x-fern-streaming`
/// `stream-condition` names (`$request.stream`), else `stream`; used only when the JSON body has
/// it as a boolean.
fn stream_flag(space: &TypeSpace, params: &[Param], operation: &openapiv3::Operation) -> Option<String> {
    let condition = || {
        let condition = operation.extensions.get("x-fern-streaming")?.get("stream-condition")?.as_str()?;
        condition.strip_prefix("$request.").map(str::to_string)
    };
    let name = match operation.extensions.get(STREAM_FLAG) {
        Some(serde_json::Value::Bool(false)) => return None,
        Some(serde_json::Value::String(name)) => name.clone(),
        _ => condition().unwrap_or_else(|| "stream".to_string()),
    };
    let setter = generator_name(&name, false);
    has_bool_property(space, params, &setter).then_some(setter)
}

/// Whether the JSON body's type has a field whose Rust name is `name` that is a boolean
/// (optional or not).
fn has_bool_property(space: &TypeSpace, params: &[Param], name: &str) -> bool {
    let Some(body) = params.iter().find(|p| p.kind == ParamKind::Body(BodyKind::Json)) else { return false };
    let Some(Ok(body)) = body.type_id.as_ref().map(|id| space.get_type(id)) else { return false };
    let typify::TypeDetails::Struct(details) = body.details() else { return false };
    let builtin_bool =
        |id: &TypeId| space.get_type(id).is_ok_and(|t| matches!(t.details(), typify::TypeDetails::Builtin("bool")));
    let is_bool = |id: &TypeId| {
        let Ok(ty) = space.get_type(id) else { return false };
        let inner = match ty.details() {
            typify::TypeDetails::Option(inner) => Some(inner),
            _ => None,
        };
        builtin_bool(id) || inner.is_some_and(|inner| builtin_bool(&inner))
    };
    let found = details.properties_info().any(|p| p.name == name && is_bool(&p.type_id));
    found
}

fn body_param(
    space: &mut TypeSpace,
    components: &Option<Components>,
    id: &str,
    operation: &openapiv3::Operation,
) -> Result<Option<Param>, String> {
    let Some(body) = &operation.request_body else { return Ok(None) };
    let body = lookup(body, |c: &Components| &c.request_bodies, components)?;
    let (media, content) = match (body.content.first(), body.content.len()) {
        (None, _) => return Ok(None),
        (Some(first), 1) => first,
        (_, n) => return Err(format!("a body with {n} media types")),
    };
    let Some(schema) = &content.schema else { return Err("a body without a schema".into()) };
    let essence = media.split(';').next().unwrap_or_default();
    let kind = match essence {
        "application/octet-stream" => BodyKind::OctetStream,
        "application/json" => BodyKind::Json,
        "application/x-www-form-urlencoded" => BodyKind::FormUrlencoded,
        "text/plain" | "text/x-markdown" => BodyKind::Text(essence.to_string()),
        _ => return Err(format!("unexpected content type: {media}")),
    };
    let type_id = match kind {
        BodyKind::Json | BodyKind::FormUrlencoded => {
            if !content.encoding.is_empty() {
                return Err("a body media type with an encoding".into());
            }
            let name = generator_name(&format!("{id}-body"), true);
            Some(space.add_type_with_name(&schema.to_schema(), Some(name)).map_err(|e| e.to_string())?)
        }
        BodyKind::OctetStream | BodyKind::Text(_) => None,
    };
    Ok(Some(Param {
        name: "body".into(),
        api_name: "body".into(),
        kind: ParamKind::Body(kind),
        type_id,
        description: body.description.clone(),
    }))
}

/// The parameter names of a path template, in order.
fn template_names(path: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').ok_or("invalid operation path unterminated parameter")? + open;
        names.push(rest[open + 1..close].to_string());
        rest = &rest[close + 1..];
    }
    Ok(names)
}

/// progenitor's order: path parameters in the template's order, query parameters by name,
/// headers by name, the body last.
fn sort_params(params: &mut [Param], names: &[String]) -> Result<(), String> {
    if let Some(missing) =
        params.iter().find(|p| p.kind == ParamKind::Path && !names.contains(&p.api_name)).map(|p| p.api_name.clone())
    {
        return Err(format!("{missing} missing from path"));
    }
    let rank = |p: &Param| match p.kind {
        ParamKind::Path => (0, names.iter().position(|n| n == &p.api_name).unwrap_or(0), String::new()),
        ParamKind::Query(_) => (1, 0, p.api_name.clone()),
        ParamKind::Header(_) => (2, 0, p.api_name.clone()),
        ParamKind::Body(_) => (3, 0, String::new()),
    };
    params.sort_by_key(rank);
    Ok(())
}

/// progenitor's choice of responses: those `filter` keeps, ordered by status (ranges before
/// the codes they hold, `default` last), a `default` after a `2XX` dropped (it can never be
/// reached), and the kind of body they share.
pub fn extract(responses: &[Response], filter: fn(&Status) -> bool) -> (Vec<&Response>, ResponseKind) {
    let value = |status: &Status| match status {
        Status::Code(code) => *code,
        Status::Range(range) => range * 100,
        Status::Default => 1000,
    };
    let mut kept: Vec<&Response> = responses.iter().filter(|r| filter(&r.status)).collect();
    kept.sort_by_key(|r| value(&r.status));
    if let [.., before, last] = kept.as_slice() {
        if before.status == Status::Range(2) && last.status == Status::Default {
            kept.pop();
        }
    }
    let kind = kept.first().map(|r| r.kind.clone()).unwrap_or(ResponseKind::None);
    (kept, kind)
}
