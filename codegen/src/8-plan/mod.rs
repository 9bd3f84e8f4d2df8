//! Stage 8, plan: a typed description of one client, built once from a lowered server group:
//! its servers, security schemes, and per operation the method name, parameters with their
//! wire names, body media type and documented statuses.
//!
//! Lowering records the facts progenitor cannot carry (a parameter's documented name, the
//! media type a text body is really sent with, a status whose empty body reads as `null`, a
//! `deepObject` parameter) as marker keys on the document, because later lowering rules move
//! and copy the objects they sit on. [`plan`] is the one reader of those markers: it turns
//! them into fields of [`ClientPlan`] and removes them, so the generate stage reads the plan
//! and a document free of them, and nothing else crosses between the two.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::lower::ServerGroup;

mod fields;
pub mod forms;
pub mod pagination;

pub use fields::{sensitive_fields, setter_docs};
pub use forms::{part_schemas, FormPart, FormPlan, PartKind};

use crate::model::naming::{generator_name, method_name};
use crate::model::pointer;
use crate::model::walk::is_operation_key;
pub use pagination::{FieldPath, PageShape, PaginationPlan};

/// Everything the generate stage needs about one client module beside the types' document.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientPlan {
    /// The module name inside the API's module; `None` when the API has one server.
    pub module: Option<String>,
    /// The server the client calls by default.
    pub base_url: String,
    /// Every server the documentation names, in its order.
    pub servers: Vec<Server>,
    /// The security schemes the runtime can send, in the spec's order.
    pub schemes: Vec<SecurityScheme>,
    /// The operations, in the spec's order.
    pub operations: Vec<OperationPlan>,
    /// Property names given in lowering → the documented names (`serde(rename)` back).
    pub renamed_properties: BTreeMap<String, String>,
    /// Rust type name → its fields that are optional and `nullable` in a request: three-state
    /// (left out, `null`, a value), see [`explicit_null_fields`].
    pub explicit_null_fields: BTreeMap<String, BTreeSet<String>>,
    /// Struct name (a type, typify's builder of it, or an operation's builder) → its fields
    /// that hold a secret and are left out of `Debug`, see [`sensitive_fields`].
    pub sensitive_fields: BTreeMap<String, BTreeSet<String>>,
    /// Struct name → field → the doc comment its setter gets (description, limits, default,
    /// example), see [`setter_docs`].
    pub setter_docs: BTreeMap<String, BTreeMap<String, String>>,
    /// Whether the module declares the API's `webhooks` module.
    pub declares_webhooks: bool,
}

/// A server the documentation names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    /// Its URL, without a trailing `/`.
    pub url: String,
    /// Its description, possibly empty.
    pub description: String,
}

/// A security scheme, as the runtime sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec.
    pub name: String,
    /// Where its credential goes.
    pub kind: SchemeKind,
}

/// Where a scheme's credential goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// `http` / `bearer`.
    Bearer,
    /// `http` / `basic`.
    Basic,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// `header`, `query` or `cookie`.
        location: String,
        /// The header, parameter or cookie name.
        parameter: String,
    },
    /// OAuth2 or OpenID Connect: the token is sent as a bearer token.
    Token {
        /// The token URL of its OAuth2 client credentials flow, when it documents one
        /// (absolute: a relative one is resolved against the base URL).
        client_credentials: Option<String>,
    },
}

/// One operation of the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationPlan {
    /// JSON pointer of the operation in the lowered document.
    pub pointer: String,
    /// The client's method for it, decided here (also its id in the runtime's table).
    pub method_name: String,
    /// Its builder type in the `builder` module, decided here.
    pub builder_name: String,
    /// Its path template.
    pub path: String,
    /// Its HTTP method, lowercase as in the spec.
    pub method: String,
    /// Its parameters, its own and the path item's.
    pub parameters: Vec<ParameterPlan>,
    /// Security requirements: alternatives, each a set of scheme names sent together.
    pub security: Vec<Vec<String>>,
    /// The OAuth2 scopes its security requirements name, sorted, each once.
    pub scopes: Vec<String>,
    /// Numeric statuses documented (ranges and `default` are read from the document when the
    /// status match is emitted).
    pub responses: Vec<ResponsePlan>,
    /// The media type a body passed as text is sent with, when it is not `text/plain`.
    pub body_content_type: Option<String>,
    /// The `Accept` header, when the responses document JSON under another media type than
    /// `application/json` ([`crate::lower::media::ACCEPT`]).
    pub accept: Option<String>,
    /// When its error bodies differ: what each documented error status decodes into, in the
    /// documented order. Empty when every error status shares one type (or none has a body).
    pub errors_by_status: Vec<ErrorStatusPlan>,
    /// The header parameter it documents for idempotency keys (`Idempotency-Key`), if any.
    pub idempotency_header: Option<String>,
    /// How it pages, when it lists items over several pages ([`pagination`]).
    pub pagination: Option<PaginationPlan>,
    /// Whether it looks like it pages (a list response and a paging parameter), recognized or
    /// not: the report lists those not recognized.
    pub looks_paged: bool,
    /// Its summary (or the first line of its description), possibly empty.
    pub summary: String,
    /// Its first tag: what groups it with others in files and cargo features
    /// ([`crate::generate::layout`]).
    pub tag: Option<String>,
    /// Its `multipart/form-data` body's parts, when it has one ([`forms`]).
    pub form: Option<FormPlan>,
    /// When this is another way to send the request of the operation at `pointer` (its form,
    /// or bytes of another documented media type): which.
    pub alternative: Option<Alternative>,
    /// The media types its success documents beside the one `send` reads (`text/csv` beside
    /// JSON), each with the builder method that asks for it and hands the answer on as bytes.
    pub other_media: Vec<OtherMedia>,
    /// The streamed media type a success documents (`text/event-stream`, JSON lines), read by
    /// the builder's `events()` or `lines()`.
    pub streamed: Option<String>,
}

/// Another way to send an operation's request, as its own method beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternative {
    /// The method name of the operation it is an alternative of.
    pub of: String,
    /// Its body.
    pub body: AlternativeBody,
}

/// What an alternative sends as its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlternativeBody {
    /// The `multipart/form-data` form documented beside the body (`<method>_multipart()`,
    /// a typed form of [`OperationPlan::form`]).
    Multipart,
    /// The operation's own body type, form-urlencoded (`<method>_form()`): the form documents
    /// the same schema as the body.
    FormUrlencoded,
    /// Bytes with the documented media type as `Content-Type` (`<method>_<media>()`).
    Bytes(String),
}

/// A media type a success documents beside the one `send` reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherMedia {
    /// The media type, sent as `Accept`.
    pub media_type: String,
    /// The builder method that asks for it (`send_csv`).
    pub method: String,
}

/// An error status whose body the client decodes into its own type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorStatusPlan {
    /// The status key as documented: `403`, `4XX` or `default`.
    pub status: String,
    /// The component schema its body decodes into.
    pub component: String,
    /// The response's description.
    pub description: String,
}

/// A parameter of an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterPlan {
    /// Its name in the lowered document.
    pub name: String,
    /// Its Rust name: its builder's field and setter, decided here once.
    pub rust_name: String,
    /// The name documented, sent on the wire; differs from `name` when lowering renamed it.
    pub wire_name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// Whether its schema is an array.
    pub is_array: bool,
    /// Whether it is a `deepObject` query parameter with an object value.
    pub deep_object: bool,
    /// For an array sent as one delimited value, the delimiter (`,`, `|` or ` `).
    pub delimiter: Option<String>,
    /// Whether it carries a secret ([`crate::model::secrets::is_sensitive`]).
    pub sensitive: bool,
    /// Its schema, resolved.
    pub schema: Option<Value>,
    /// Whether its schema is a `$ref` to a component: its Rust type is then the component's own
    /// type (a newtype even for a plain integer), not the integer or string paging can read.
    pub named_type: bool,
    /// Its description, possibly empty.
    pub description: String,
    /// Whether a call must send it (`required`, or a path parameter).
    pub required: bool,
    /// Its documented example (`example`, else the first of `examples`), if any.
    pub example: Option<Value>,
}

/// A numeric status an operation documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponsePlan {
    /// The status code.
    pub status: u16,
    /// Documented with an `application/json` body.
    pub json: bool,
    /// Documented without a body beside successes with one: the empty body reads as `null`.
    pub empty_as_null: bool,
}

/// The markers lowering leaves on the document for this stage, all removed by [`plan`].
const MARKERS: [&str; 10] = [
    crate::lower::bodies::FORM_SCHEMA,
    crate::lower::bodies::FORM_ALTERNATIVE,
    crate::lower::media::OTHER_MEDIA,
    crate::lower::media::BODY_ALTERNATIVES,
    crate::lower::parameters::DELIMITER,
    crate::lower::errors::ERRORS_BY_STATUS,
    crate::lower::parameters::WIRE_NAME,
    crate::lower::parameters::DEEP_OBJECT,
    crate::lower::bodies::CONTENT_TYPE,
    crate::lower::successes::EMPTY_BODY_AS_NULL,
];

/// The plan of `group`'s client, and its document without lowering's markers (what the types
/// are generated from).
pub fn plan(group: &ServerGroup) -> (ClientPlan, Value) {
    plan_owned(group.clone())
}

/// [`plan`], taking the group: its document is cleaned where it is instead of copied (on
/// Microsoft Graph the copy was half a GB, held while the module was generated).
pub fn plan_owned(group: ServerGroup) -> (ClientPlan, Value) {
    let plan = plan_of(&group);
    let mut clean = group.document;
    remove_markers(&mut clean);
    (plan, clean)
}

/// [`plan_owned`], the plan made on a second core while `then` is given the cleaned document
/// on this one: generation reads the document as OpenAPI and makes its types there (two
/// seconds on Microsoft Graph), which stay on the thread that made them (typify's are token
/// streams, which cannot cross threads). The document is copied for it, while memory is far
/// below generation's peak.
///
/// # Errors
/// When planning panics (it is not expected to).
pub fn plan_beside<T>(group: ServerGroup, then: impl FnOnce(Value) -> T) -> Result<(ClientPlan, T), String> {
    std::thread::scope(|scope| {
        let group = &group;
        // The stack the main thread has: the plan follows schemas as deep as they nest.
        let beside = std::thread::Builder::new()
            .stack_size(PLAN_STACK)
            .spawn_scoped(scope, move || plan_of(group))
            .map_err(|e| format!("cannot start a thread to plan on: {e}"))?;
        let mut clean = group.document.clone();
        remove_markers(&mut clean);
        let read = then(clean);
        let plan = beside.join().map_err(|_| "planning panicked".to_string())?;
        Ok((plan, read))
    })
}

/// The stack of the thread [`plan_beside`] plans on.
const PLAN_STACK: usize = 256 << 20;

/// The plan of `group`, read from its document (lowering's markers included).
fn plan_of(group: &ServerGroup) -> ClientPlan {
    let document = &group.document;
    let plan = ClientPlan {
        module: group.module.clone(),
        base_url: group.base_url.clone(),
        servers: servers(document),
        schemes: schemes(document),
        operations: operations(document),
        renamed_properties: group.renamed_properties.clone(),
        explicit_null_fields: explicit_null_fields(document),
        sensitive_fields: BTreeMap::new(),
        setter_docs: BTreeMap::new(),
        declares_webhooks: group.declares_webhooks,
    };
    ClientPlan {
        sensitive_fields: sensitive_fields(document, &plan.operations),
        setter_docs: setter_docs(document, &plan.operations),
        ..plan
    }
}

/// `document` without lowering's markers, wherever they are.
pub fn remove_markers(document: &mut Value) {
    match document {
        Value::Object(map) => {
            for marker in MARKERS {
                map.shift_remove(marker);
            }
            map.values_mut().for_each(remove_markers);
        }
        Value::Array(items) => items.iter_mut().for_each(remove_markers),
        _ => {}
    }
}

fn servers(document: &Value) -> Vec<Server> {
    let listed = document.get("servers").and_then(Value::as_array).into_iter().flatten();
    listed
        .filter_map(|s| {
            Some(Server {
                url: s.get("url")?.as_str()?.trim_end_matches('/').to_string(),
                description: s.get("description").and_then(Value::as_str).unwrap_or("").to_string(),
            })
        })
        .collect()
}

fn schemes(document: &Value) -> Vec<SecurityScheme> {
    let declared = document.pointer("/components/securitySchemes").and_then(Value::as_object);
    declared
        .into_iter()
        .flatten()
        .filter_map(|(name, scheme)| {
            let scheme = pointer::resolve(scheme, document);
            let kind = match (scheme.get("type")?.as_str()?, scheme.get("scheme").and_then(Value::as_str)) {
                ("http", Some(s)) if s.eq_ignore_ascii_case("bearer") => SchemeKind::Bearer,
                ("http", Some(s)) if s.eq_ignore_ascii_case("basic") => SchemeKind::Basic,
                ("apiKey", _) => SchemeKind::ApiKey {
                    location: scheme.get("in")?.as_str()?.to_string(),
                    parameter: scheme.get("name")?.as_str()?.to_string(),
                },
                ("oauth2" | "openIdConnect", _) => SchemeKind::Token {
                    client_credentials: scheme
                        .pointer("/flows/clientCredentials/tokenUrl")
                        .and_then(Value::as_str)
                        .filter(|url| !url.trim().is_empty())
                        .map(|url| absolute(url, document)),
                },
                _ => return None,
            };
            Some(SecurityScheme { name: name.clone(), kind })
        })
        .collect()
}

/// `url` resolved against the document's first server when it is relative (`/oauth/token`).
fn absolute(url: &str, document: &Value) -> String {
    if url.contains("://") {
        return url.to_string();
    }
    let server = document.pointer("/servers/0/url").and_then(Value::as_str).unwrap_or_default();
    let origin = server.find("://").map_or("", |scheme| {
        let rest = &server[scheme + 3..];
        &server[..scheme + 3 + rest.find('/').unwrap_or(rest.len())]
    });
    match url.starts_with('/') {
        true => format!("{origin}{url}"),
        false => format!("{}/{url}", server.trim_end_matches('/')),
    }
}

fn operations(document: &Value) -> Vec<OperationPlan> {
    let global = document.get("security");
    let mut out = Vec::new();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let shared = item.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for (method, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            let own = operation.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            let security = operation.get("security").or(global).and_then(Value::as_array);
            let parameters = parameters(own, shared, document);
            let idempotency_header = parameters
                .iter()
                .find(|p| p.location == "header" && p.wire_name.to_ascii_lowercase().contains("idempotency"))
                .map(|p| p.wire_name.clone());
            out.push(OperationPlan {
                pointer: pointer::child(&pointer::child("/paths", path), method),
                method_name: method_name(id),
                builder_name: generator_name(id, true),
                path: path.clone(),
                method: method.clone(),
                parameters: parameters.clone(),
                security: security
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .map(|requirement| requirement.keys().cloned().collect())
                    .collect(),
                scopes: security
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .flat_map(|requirement| requirement.values())
                    .filter_map(Value::as_array)
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                responses: responses(operation, document),
                body_content_type: body_content_type(operation, document),
                accept: accept(operation, document),
                errors_by_status: errors_by_status(operation),
                idempotency_header,
                pagination: (method == "get").then(|| pagination::detect(operation, &parameters, document)).flatten(),
                looks_paged: method == "get" && pagination::looks_paged(operation, &parameters, document),
                form: forms::form(operation, document),
                alternative: None,
                other_media: other_media(operation, document, &parameters),
                streamed: streamed(operation, document),
                tag: operation
                    .get("tags")
                    .and_then(Value::as_array)
                    .and_then(|tags| tags.first())
                    .and_then(Value::as_str)
                    .map(str::to_string),
                summary: operation
                    .get("summary")
                    .or_else(|| operation.get("description"))
                    .and_then(Value::as_str)
                    .and_then(|text| text.lines().map(str::trim).find(|line| !line.is_empty()))
                    .unwrap_or_default()
                    .to_string(),
            });
        }
    }
    with_alternatives(out, document)
}

/// `operations` with, after each operation whose body documents other media types, its
/// alternatives ([`Alternative`]): the same request with the form (`<method>_multipart`), its
/// body form-urlencoded (`<method>_form`) or bytes of another media type (`<method>_<media>`),
/// each left out when its name is taken.
fn with_alternatives(operations: Vec<OperationPlan>, document: &Value) -> Vec<OperationPlan> {
    let mut taken: BTreeSet<String> = operations.iter().map(|o| o.method_name.clone()).collect();
    let mut out = Vec::with_capacity(operations.len());
    for operation in operations {
        let source = document.pointer(&operation.pointer);
        let alternative = |suffix: &str, body: AlternativeBody, content_type: Option<String>| OperationPlan {
            method_name: method_name(&format!("{}_{suffix}", operation.method_name)),
            builder_name: generator_name(&format!("{}_{suffix}", operation.method_name), true),
            body_content_type: content_type,
            form: None,
            alternative: Some(Alternative { of: operation.method_name.clone(), body }),
            pagination: None,
            looks_paged: false,
            streamed: None,
            other_media: Vec::new(),
            ..operation.clone()
        };
        let mut alternatives = Vec::new();
        if let Some(form) = source.and_then(|o| forms::alternative(o, document)) {
            let content_type = format!("multipart/form-data; boundary={}", crate::lower::bodies::MULTIPART_BOUNDARY);
            alternatives.push(OperationPlan {
                form: Some(form),
                ..alternative("multipart", AlternativeBody::Multipart, Some(content_type))
            });
        }
        for (media_type, same_schema) in source.map(|o| body_alternatives(o, document)).unwrap_or_default() {
            let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            let form = essence == "application/x-www-form-urlencoded" && same_schema;
            alternatives.push(match form {
                true => alternative("form", AlternativeBody::FormUrlencoded, None),
                false => alternative(
                    &media_name(&media_type),
                    AlternativeBody::Bytes(media_type.clone()),
                    Some(media_type.clone()),
                ),
            });
        }
        out.push(operation);
        for alternative in alternatives {
            if taken.insert(alternative.method_name.clone()) {
                out.push(alternative);
            }
        }
    }
    out
}

/// The media types `operation`'s body documents beside the one kept, each with whether it
/// documents the same schema ([`crate::lower::media::BODY_ALTERNATIVES`]); multipart forms
/// are [`forms::alternative`]'s.
fn body_alternatives(operation: &Value, document: &Value) -> Vec<(String, bool)> {
    let Some(body) = operation.get("requestBody").map(|b| pointer::resolve(b, document)) else { return Vec::new() };
    let listed = body.get(crate::lower::media::BODY_ALTERNATIVES).and_then(Value::as_array).into_iter().flatten();
    listed
        .filter_map(|entry| {
            let media_type = entry.get("mediaType")?.as_str()?;
            let multipart = media_type.to_ascii_lowercase().starts_with("multipart/form-data");
            let sendable = media_type.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
            let same = entry.get("sameSchema").and_then(Value::as_bool).unwrap_or(false);
            (sendable && !(multipart && body.get(crate::lower::bodies::FORM_ALTERNATIVE).is_some()))
                .then(|| (media_type.to_string(), same))
        })
        .collect()
}

/// A method-name word for `media_type`: its subtype without a vendor or `x-` prefix, in snake
/// case (`text/csv` → `csv`, `application/vnd.ms-excel` → `ms_excel`, `application/rss+xml` →
/// `rss_xml`); `text/plain` is `text`, `application/octet-stream` `bytes`.
pub fn media_name(media_type: &str) -> String {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let subtype = essence.split_once('/').map_or(essence.as_str(), |(_, subtype)| subtype);
    let name = match subtype {
        "plain" => "text",
        "octet-stream" => "bytes",
        other => other.trim_start_matches("vnd.").trim_start_matches("x-"),
    };
    generator_name(name, false)
}

/// The media types `operation`'s successes document beside the one `send` reads
/// ([`crate::lower::media::OTHER_MEDIA`]), each with the method that asks for it: `send_<media>`,
/// made unique against the builder's own methods and setters.
fn other_media(operation: &Value, document: &Value, parameters: &[ParameterPlan]) -> Vec<OtherMedia> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else { return Vec::new() };
    let successes = responses.iter().filter(|(status, _)| status.starts_with('2') || *status == "default");
    let mut media_types: Vec<String> = Vec::new();
    for (_, response) in successes {
        let listed = pointer::resolve(response, document).get(crate::lower::media::OTHER_MEDIA);
        for media_type in listed.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            let sendable = media_type.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
            if sendable && !media_types.iter().any(|m| m == media_type) {
                media_types.push(media_type.to_string());
            }
        }
    }
    let mut taken: BTreeSet<String> =
        ["send", "events", "lines", "stream", "body", "body_map", "new"].map(String::from).into();
    taken.extend(parameters.iter().map(|p| p.rust_name.clone()));
    media_types
        .into_iter()
        .map(|media_type| {
            let method = crate::model::naming::first_free(&format!("send_{}", media_name(&media_type)), "_", |n| {
                taken.contains(n)
            });
            taken.insert(method.clone());
            OtherMedia { media_type, method }
        })
        .collect()
}

/// The operation's parameters, then the path item's it does not override.
fn parameters(own: &[Value], shared: &[Value], document: &Value) -> Vec<ParameterPlan> {
    let key = |p: &Value| (p.get("in").cloned(), p.get("name").cloned());
    let own: Vec<&Value> = own.iter().map(|p| pointer::resolve(p, document)).collect();
    let shared = shared.iter().map(|p| pointer::resolve(p, document)).filter(|p| !own.iter().any(|o| key(o) == key(p)));
    let all: Vec<&Value> = own.iter().copied().chain(shared).collect();
    let planned = all
        .into_iter()
        .filter_map(|parameter| {
            let name = parameter.get("name")?.as_str()?.to_string();
            let schema = parameter.get("schema").map(|s| pointer::resolve(s, document));
            Some(ParameterPlan {
                wire_name: parameter
                    .get(crate::lower::parameters::WIRE_NAME)
                    .and_then(Value::as_str)
                    .unwrap_or(&name)
                    .to_string(),
                rust_name: generator_name(&crate::model::naming::acronym_aware(&name), false),
                name: name.clone(),
                location: parameter.get("in").and_then(Value::as_str).unwrap_or_default().to_string(),
                is_array: schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("array"),
                deep_object: parameter.get(crate::lower::parameters::DEEP_OBJECT) == Some(&Value::Bool(true)),
                delimiter: parameter
                    .get(crate::lower::parameters::DELIMITER)
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                sensitive: crate::model::secrets::is_sensitive(&name, schema),
                schema: schema.cloned(),
                named_type: parameter.get("schema").is_some_and(|s| s.get("$ref").is_some()),
                description: parameter.get("description").and_then(Value::as_str).unwrap_or_default().to_string(),
                required: parameter.get("required") == Some(&Value::Bool(true))
                    || parameter.get("in").and_then(Value::as_str) == Some("path"),
                example: documented_example(parameter, document),
            })
        })
        .collect::<Vec<_>>();
    // A plural acronym kept whole (`clientURLs` → `client_urls`) must not make two names one:
    // then both keep the plain spelling lowering made distinct.
    let mut planned = planned;
    let rust_names: Vec<String> = planned.iter().map(|p| p.rust_name.clone()).collect();
    for parameter in &mut planned {
        if rust_names.iter().filter(|n| **n == parameter.rust_name).count() > 1 {
            parameter.rust_name = generator_name(&parameter.name, false);
        }
    }
    planned
}

/// The example a parameter, media type or example holder documents: `example`, else the
/// `value` of the first of `examples`.
pub fn documented_example(holder: &Value, document: &Value) -> Option<Value> {
    if let Some(example) = holder.get("example") {
        return Some(example.clone());
    }
    let first = holder.get("examples")?.as_object()?.values().next()?;
    pointer::resolve(first, document).get("value").cloned()
}

fn responses(operation: &Value, document: &Value) -> Vec<ResponsePlan> {
    let listed = operation.get("responses").and_then(Value::as_object).into_iter().flatten();
    listed
        .filter_map(|(status, response)| {
            let status = status.parse::<u16>().ok()?;
            let response = pointer::resolve(response, document);
            Some(ResponsePlan {
                status,
                json: response.pointer("/content/application~1json").is_some(),
                empty_as_null: response.get(crate::lower::successes::EMPTY_BODY_AS_NULL) == Some(&Value::Bool(true)),
            })
        })
        .collect()
}

fn errors_by_status(operation: &Value) -> Vec<ErrorStatusPlan> {
    let marked = operation.get(crate::lower::errors::ERRORS_BY_STATUS).and_then(Value::as_object);
    marked
        .into_iter()
        .flatten()
        .filter_map(|(status, entry)| {
            Some(ErrorStatusPlan {
                status: status.clone(),
                component: pointer::component_ref(entry.pointer("/schema/$ref")?.as_str()?)?.1,
                description: entry.get("description").and_then(Value::as_str).unwrap_or_default().to_string(),
            })
        })
        .collect()
}

/// The optional `nullable` properties of every object a request body can hold, by the Rust
/// type and field names typify gives them: component schemas reachable from a request body
/// (named after the component), an inline body (`<Operation>Body`), and inline objects inside
/// those (`<Parent><Property>`). Such a field is sent as `null` only when the caller says so.
pub fn explicit_null_fields(document: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pending: Vec<(String, String)> = Vec::new();
    for (_, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let operations = item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m));
        for operation in operations.map(|(_, operation)| operation) {
            let Some(body) = operation.get("requestBody").map(|b| pointer::resolve(b, document)) else { continue };
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            for media in body.get("content").and_then(Value::as_object).into_iter().flatten().map(|(_, m)| m) {
                let Some(schema) = media.get("schema") else { continue };
                pending.extend(pointer::component_refs(schema));
                if schema.get("$ref").is_none() {
                    collect_nullable(&format!("{}Body", generator_name(id, true)), schema, &mut out);
                }
            }
        }
    }
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    while let Some(component) = pending.pop() {
        if component.0 != "schemas" || !seen.insert(component.clone()) {
            continue;
        }
        let Some(schema) = document.pointer(&pointer::child("/components/schemas", &component.1)) else { continue };
        pending.extend(pointer::component_refs(schema));
        collect_nullable(&generator_name(&component.1, true), schema, &mut out);
    }
    out
}

fn collect_nullable(type_name: &str, schema: &Value, out: &mut BTreeMap<String, BTreeSet<String>>) {
    let required: BTreeSet<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        if property.get("nullable") == Some(&Value::Bool(true)) && !required.contains(name.as_str()) {
            out.entry(type_name.to_string()).or_default().insert(generator_name(name, false));
        }
        let inline_object = property.get("$ref").is_none() && property.get("properties").is_some();
        if inline_object {
            collect_nullable(&format!("{type_name}{}", generator_name(name, true)), property, out);
        }
    }
}

/// The first streamed media type a success response documents.
fn streamed(operation: &Value, document: &Value) -> Option<String> {
    let responses = operation.get("responses").and_then(Value::as_object)?;
    let successes = responses.iter().filter(|(status, _)| status.starts_with('2') || *status == "default");
    successes.map(|(_, r)| pointer::resolve(r, document)).find_map(|response| {
        let content = response.get("content").and_then(Value::as_object)?;
        content.keys().find(|media| crate::model::streams::stream_kind(media).is_some()).cloned()
    })
}

/// The media types the responses document their JSON under, when one is not
/// `application/json`: each once, in the documented order, `application/json` first when a
/// response documents it.
fn accept(operation: &Value, document: &Value) -> Option<String> {
    let responses = operation.get("responses").and_then(Value::as_object)?;
    let mut types: Vec<String> = Vec::new();
    let mut plain = false;
    for response in responses.values().map(|r| pointer::resolve(r, document)) {
        match response.get(crate::lower::media::ACCEPT).and_then(Value::as_str) {
            Some(accept) => types.extend(accept.split(", ").map(str::to_string)),
            None => plain |= response.pointer("/content/application~1json").is_some(),
        }
    }
    if types.is_empty() {
        return None;
    }
    if plain {
        types.insert(0, "application/json".into());
    }
    let mut seen = Vec::new();
    types.retain(|t| {
        let essence = t.split(';').next().unwrap_or_default().to_string();
        let fresh = !seen.contains(&essence);
        seen.push(essence);
        fresh
    });
    Some(types.join(", "))
}

/// The media type lowering chose for a body passed as text, when a header can carry it.
fn body_content_type(operation: &Value, document: &Value) -> Option<String> {
    let body = pointer::resolve(operation.get("requestBody")?, document);
    let media = body.get(crate::lower::bodies::CONTENT_TYPE)?.as_str()?;
    let sendable = !media.is_empty() && media.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    sendable.then(|| media.to_string())
}

#[cfg(test)]
mod tests {
    use super::media_name;

    #[test]
    fn media_names_are_the_subtype_without_vendor_prefixes() {
        let names: Vec<String> = [
            "text/csv",
            "application/vnd.ms-excel",
            "application/rss+xml",
            "text/plain; charset=utf-8",
            "application/octet-stream",
            "text/x-markdown",
            "application/json+encrypted",
            "application/pkcs10",
        ]
        .map(media_name)
        .into();
        assert_eq!(names, ["csv", "ms_excel", "rss_xml", "text", "bytes", "markdown", "json_encrypted", "pkcs10"]);
    }
}
