//! Swagger 2.0 documents, converted to OpenAPI 3.0.3 before the other rules run.
//!
//! Vendors still publish Swagger 2.0, while every later rule and the generator read OpenAPI 3.0.
//! The conversion follows the well-known `swagger2openapi` converter: `host`/`basePath`/`schemes`
//! become `servers`; `body` and `formData` parameters (an operation's own, its path item's, or
//! shared ones it references) become a `requestBody` whose media types are the operation's
//! `consumes` (else the document's); a response's `schema` and `examples` become `content` per
//! `produces` (a grpc-gateway stream, whose schema is one of its `x-stream-definitions`, as
//! `application/x-ndjson`: one `{result, error}` object per line); a parameter's or header's `type` and its keywords move into `schema` and
//! `collectionFormat` becomes `style`/`explode`; `definitions`, `parameters`, `responses` and
//! `securityDefinitions` move under `components`, and every local `$ref` follows them; schema
//! spellings 3.0 has a keyword for (`x-nullable`, a string `discriminator`, `type: file`) are
//! rewritten. Each conversion is recorded; what 3.0 cannot express is named in the change's note,
//! never dropped silently. Other extensions (`x-...`) are carried over untouched.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::{json, Map, Value};

use crate::model::keys::Holds;
use crate::model::pointer::{self, child};
use crate::report::{Change, Rule, Stage};

/// The operations of a path item.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keywords a 2.0 parameter, header or form field shares with a Schema: they move into `schema`.
const SCHEMA_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

const URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
/// The media type of a grpc-gateway server stream: newline-delimited JSON objects.
const GRPC_STREAM: &str = "application/x-ndjson";
const JSON: &str = "application/json";

/// Whether `document` declares Swagger 2.0.
pub fn is_swagger_2(document: &Value) -> bool {
    document.get("swagger").is_some()
}

/// Converts a Swagger 2.0 document to OpenAPI 3.0.3 in place, returning what changed.
/// Anything else (including a document that is not an object) is left as it is.
pub fn convert(document: &mut Value) -> Vec<Change> {
    if !is_swagger_2(document) {
        return Vec::new();
    }
    let Some(root) = document.as_object_mut() else { return Vec::new() };
    let order: Vec<String> = root.keys().cloned().collect();
    let mut cx = Converter::default();
    let version = root.shift_remove("swagger");
    cx.record("/swagger", version, Some(json!("3.0.3")), "read as OpenAPI 3.0.3: `swagger` replaced by `openapi`");
    let servers = cx.servers(root);
    cx.consumes = cx.document_media(root, "consumes");
    cx.produces = cx.document_media(root, "produces");
    let components = cx.components(root);
    if let Some(paths) = root.get_mut("paths") {
        cx.convert_paths(paths);
    }
    reorder(root, &order, servers, components);
    let mut counts = BTreeMap::new();
    rewrite_refs(document, Holds::Keywords, &cx.bodies, &mut counts);
    // An extension that a `$ref` reaches (grpc-gateway's `x-stream-definitions`) holds schemas
    // like `definitions` does: their own references move with the sections they point into.
    let reached: BTreeSet<String> = pointer::references(document)
        .iter()
        .filter_map(|r| r.strip_prefix("#/")?.split('/').next().filter(|k| k.starts_with("x-")).map(str::to_string))
        .collect();
    for key in reached {
        if let Some(extension) = document.get_mut(&key) {
            rewrite_refs(extension, Holds::Keywords, &cx.bodies, &mut counts);
        }
    }
    for ((from, to), count) in counts {
        let at = format!("/{}", from.trim_start_matches("#/").trim_end_matches('/'));
        cx.record(
            &at,
            Some(json!(from)),
            Some(json!(to)),
            format!("{count} `$ref`s rewritten to the OpenAPI 3 location"),
        );
    }
    cx.changes
}

/// What the conversion of one document knows beyond the node it is at.
#[derive(Default)]
struct Converter {
    changes: Vec<Change>,
    /// The document's `consumes` and `produces`, for operations without their own.
    consumes: Vec<String>,
    produces: Vec<String>,
    /// `host` (without a trailing slash) and `basePath` (with a leading and no trailing slash).
    host: Option<String>,
    base_path: String,
    /// The document's shared `body` and `formData` parameters by name, inlined where used.
    shared: Map<String, Value>,
    /// The names of the shared body parameters, now `components/requestBodies`.
    bodies: HashSet<String>,
}

/// A body or formData parameter taken out of a `parameters` list.
#[derive(Clone)]
struct Param {
    value: Map<String, Value>,
    /// Where it is defined in the 2.0 document.
    at: String,
    /// Where it is used: the list entry (for a shared parameter, its `$ref`).
    site: String,
    /// How it came to the operation, for the change's note ("" when it is the operation's own).
    origin: String,
}

impl Param {
    fn location(&self) -> Option<&str> {
        self.value.get("in").and_then(Value::as_str)
    }

    fn name(&self) -> Option<&str> {
        self.value.get("name").and_then(Value::as_str)
    }
}

/// The strings of a list (`consumes`, `schemes`); `None` when it is not a list.
fn strings(value: &Value) -> Option<Vec<String>> {
    Some(value.as_array()?.iter().filter_map(Value::as_str).map(str::to_owned).collect())
}

/// Whether a media type is one a form body is sent as.
fn is_form(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    media.starts_with(URLENCODED) || media.starts_with("multipart/")
}

/// The `style` and `explode` OpenAPI 3 spells a `collectionFormat` with, for a parameter `in`
/// `location` (`header` for a header), and a note saying what was done.
fn style_for(format: Option<&str>, location: &str) -> (Option<&'static str>, Option<bool>, String) {
    let (format, default) = match format {
        Some(format) => (format, ""),
        None => ("csv", " (no collectionFormat: 2.0's default csv)"),
    };
    let (style, explode) = match (format, location) {
        ("csv", "path" | "header") => (Some("simple"), None),
        ("csv", _) | ("tsv", "query" | "formData") => (Some("form"), Some(false)),
        ("ssv", "query" | "formData") => (Some("spaceDelimited"), Some(false)),
        ("pipes", "query" | "formData") => (Some("pipeDelimited"), Some(false)),
        ("multi", "query" | "formData") => (Some("form"), Some(true)),
        _ => (None, None),
    };
    let note = match style {
        None => format!("collectionFormat {format} has no OpenAPI 3 style for a {location} value; left to the default"),
        Some(_) if format == "tsv" => {
            "collectionFormat tsv has no OpenAPI 3 style; sent comma-separated (form, explode false)".into()
        }
        Some(style) => format!(
            "collectionFormat {format} as style {style}{}{default}",
            explode.map_or(String::new(), |e| format!(", explode {e}"))
        ),
    };
    (style, explode, note)
}

/// Removes `collectionFormat` from nested `items` (arrays of arrays), which 3.0 cannot express.
fn drop_nested_formats(schema: &mut Map<String, Value>, notes: &mut Vec<String>) {
    if let Some(Value::Object(inner)) = schema.get_mut("items") {
        if let Some(format) = inner.shift_remove("collectionFormat") {
            notes.push(format!("a nested array's collectionFormat {format} has no OpenAPI 3 spelling; dropped"));
        }
        drop_nested_formats(inner, notes);
    }
}

impl Converter {
    fn record(&mut self, at: &str, before: Option<Value>, after: Option<Value>, note: impl Into<String>) {
        self.changes.push(Change::new(Stage::Normalize, Rule::Swagger2Converted, at).values(before, after).note(note));
    }

    /// `host`, `basePath` and `schemes` as the `servers` list: one server per scheme (`https`
    /// when none is given), a relative url when there is no host.
    fn servers(&mut self, root: &mut Map<String, Value>) -> Value {
        let mut before = Map::new();
        for key in ["host", "basePath", "schemes"] {
            if let Some(value) = root.shift_remove(key) {
                before.insert(key.into(), value);
            }
        }
        self.host = before
            .get("host")
            .and_then(Value::as_str)
            .map(|h| h.trim_end_matches('/').to_owned())
            .filter(|h| !h.is_empty());
        let base = before.get("basePath").and_then(Value::as_str).unwrap_or("").trim_end_matches('/');
        self.base_path = if base.is_empty() || base.starts_with('/') { base.to_owned() } else { format!("/{base}") };
        let schemes = before.get("schemes").and_then(strings).unwrap_or_default();
        let urls = self.server_urls(&schemes);
        let at = ["host", "basePath", "schemes"]
            .into_iter()
            .find(|k| before.contains_key(*k))
            .map_or(String::new(), |k| format!("/{k}"));
        let note = if self.host.is_some() {
            "as one server per scheme (https when none is given)"
        } else {
            "no host: a server relative to where the document is served"
        };
        self.record(&at, Some(Value::Object(before)), Some(json!(urls)), note);
        Value::Array(urls.into_iter().map(|url| json!({ "url": url })).collect())
    }

    /// The server urls for `schemes` (`https` when empty) at the document's host and base path.
    fn server_urls(&self, schemes: &[String]) -> Vec<String> {
        let Some(host) = &self.host else {
            return vec![if self.base_path.is_empty() { "/".into() } else { self.base_path.clone() }];
        };
        let schemes = if schemes.is_empty() { vec!["https".to_owned()] } else { schemes.to_vec() };
        schemes.iter().map(|scheme| format!("{scheme}://{host}{}", self.base_path)).collect()
    }

    /// Removes the document's `consumes` or `produces`, returning its media types.
    fn document_media(&mut self, root: &mut Map<String, Value>, key: &str) -> Vec<String> {
        let Some(value) = root.shift_remove(key) else { return Vec::new() };
        let list = strings(&value);
        let note = match list {
            Some(_) => "the document's media types, used for every operation without its own",
            None => "not a list of media types; dropped",
        };
        self.record(&format!("/{key}"), Some(value), None, note);
        list.unwrap_or_default()
    }

    /// Moves `definitions`, `parameters`, `responses` and `securityDefinitions` into components.
    fn components(&mut self, root: &mut Map<String, Value>) -> Map<String, Value> {
        let mut components = match root.shift_remove("components") {
            Some(Value::Object(existing)) => existing,
            _ => Map::new(),
        };
        let mut sections: [(&str, Map<String, Value>); 5] =
            ["schemas", "parameters", "requestBodies", "responses", "securitySchemes"].map(|s| (s, Map::new()));
        for key in ["definitions", "parameters", "responses", "securityDefinitions"] {
            let Some(value) = root.shift_remove(key) else { continue };
            let at = format!("/{key}");
            let Value::Object(entries) = value else {
                self.record(&at, Some(value), None, "not a map of names; dropped");
                continue;
            };
            let count = entries.len();
            let mut forms = Vec::new();
            for (name, mut entry) in entries {
                let here = child(&at, &name);
                let section = match key {
                    "definitions" => {
                        self.fix_schema(&mut entry, &here);
                        0
                    }
                    "parameters" => match entry.get("in").and_then(Value::as_str) {
                        Some("body") => {
                            if let Some(schema) = entry.get_mut("schema") {
                                self.fix_schema(schema, &child(&here, "schema"));
                            }
                            self.shared.insert(name.clone(), entry.clone());
                            self.bodies.insert(name.clone());
                            let Value::Object(value) = entry else { continue };
                            let origin = " (shared; operations using it get it inlined)".into();
                            let param = Param { value, at: here.clone(), site: here, origin };
                            entry = self.body_request(param, &self.consumes.clone());
                            2
                        }
                        Some("formData") => {
                            self.fix_schema(&mut entry, &here);
                            self.shared.insert(name.clone(), entry);
                            forms.push(name);
                            continue;
                        }
                        location => {
                            let location = location.unwrap_or("").to_owned();
                            if let Some(param) = entry.as_object_mut() {
                                self.move_into_schema(param, &here, &location);
                            }
                            1
                        }
                    },
                    "responses" => {
                        self.convert_response(&mut entry, &here, &self.produces.clone());
                        3
                    }
                    _ => {
                        self.security_scheme(&mut entry, &here);
                        4
                    }
                };
                sections[section].1.insert(name, entry);
            }
            let (after, mut note) = match key {
                "definitions" => ("#/components/schemas", format!("{count} schemas moved")),
                "responses" => ("#/components/responses", format!("{count} responses moved")),
                "securityDefinitions" => ("#/components/securitySchemes", format!("{count} security schemes moved")),
                _ => (
                    "#/components/parameters",
                    format!(
                        "{count} parameters moved; body ones to #/components/requestBodies ({})",
                        self.bodies.len()
                    ),
                ),
            };
            if !forms.is_empty() {
                note.push_str(&format!(
                    "; formData ones ({}) have no OpenAPI 3 component and are inlined where used",
                    forms.join(", ")
                ));
            }
            self.record(&at, Some(json!(count)), Some(json!(after)), note);
        }
        for (section, entries) in sections {
            if !entries.is_empty() {
                components.insert(section.into(), Value::Object(entries));
            }
        }
        components
    }

    /// Rewrites the 2.0 spellings of `schema` and every schema below it.
    fn fix_schema(&mut self, schema: &mut Value, at: &str) {
        let Some(object) = schema.as_object_mut() else { return };
        if let Some(flag) = object.shift_remove("x-nullable") {
            let nullable = flag == json!(true) || flag == json!("true");
            if nullable {
                object.insert("nullable".into(), Value::Bool(true));
            }
            let note = if nullable {
                "x-nullable as nullable"
            } else {
                "x-nullable not true: dropped (not nullable is the default)"
            };
            self.record(&child(at, "x-nullable"), Some(flag), nullable.then(|| json!({ "nullable": true })), note);
        }
        if let Some(Value::String(property)) = object.get("discriminator").cloned() {
            object.insert("discriminator".into(), json!({ "propertyName": property }));
            self.record(
                &child(at, "discriminator"),
                Some(json!(property)),
                Some(json!({ "propertyName": property })),
                "a discriminator property name as a Discriminator Object",
            );
        }
        if object.get("type") == Some(&json!("file")) {
            object.insert("type".into(), json!("string"));
            let before = object.insert("format".into(), json!("binary"));
            let dropped =
                before.filter(|f| f != "binary").map_or(String::new(), |f| format!("; its format {f} dropped"));
            self.record(
                &child(at, "type"),
                Some(json!("file")),
                Some(json!({ "type": "string", "format": "binary" })),
                format!("type file as a binary string{dropped}"),
            );
        }
        for (key, value) in object.iter_mut() {
            match (key.as_str(), value) {
                ("items" | "allOf" | "anyOf" | "oneOf", Value::Array(list)) => {
                    for (index, item) in list.iter_mut().enumerate() {
                        self.fix_schema(item, &format!("{}/{index}", child(at, key)));
                    }
                }
                ("items" | "additionalProperties" | "not", item) => self.fix_schema(item, &child(at, key)),
                ("properties" | "definitions", Value::Object(named)) => {
                    for (name, item) in named.iter_mut() {
                        self.fix_schema(item, &child(&child(at, key), name));
                    }
                }
                _ => {}
            }
        }
    }

    /// Moves a non-body parameter's (or a header's) `type` and its keywords into `schema`, and
    /// its `collectionFormat` into `style`/`explode`.
    fn move_into_schema(&mut self, object: &mut Map<String, Value>, at: &str, location: &str) {
        if object.contains_key("$ref") || object.contains_key("schema") {
            return;
        }
        let mut schema: Map<String, Value> =
            SCHEMA_KEYWORDS.iter().filter_map(|k| object.shift_remove(*k).map(|v| ((*k).to_owned(), v))).collect();
        if schema.is_empty() {
            return;
        }
        let mut notes = vec!["type and its keywords moved into schema".to_owned()];
        drop_nested_formats(&mut schema, &mut notes);
        let format = object.shift_remove("collectionFormat");
        let mut before = json!({ "type": schema.get("type") });
        if let Some(format) = &format {
            before["collectionFormat"] = format.clone();
        }
        let mut after = Map::new();
        if schema.get("type") == Some(&json!("array")) {
            let (style, explode, note) = style_for(format.as_ref().and_then(Value::as_str), location);
            for (key, value) in [("style", style.map(Value::from)), ("explode", explode.map(Value::from))] {
                if let Some(value) = value {
                    object.insert(key.into(), value.clone());
                    after.insert(key.into(), value);
                }
            }
            notes.push(note);
        } else if let Some(format) = format {
            notes.push(format!("collectionFormat {format} on a value that is not an array; dropped"));
        }
        if location != "query" {
            if let Some(flag) = object.shift_remove("allowEmptyValue") {
                notes.push(format!("allowEmptyValue {flag} applies to query parameters only in OpenAPI 3; dropped"));
            }
        }
        let mut schema = Value::Object(schema);
        self.fix_schema(&mut schema, at);
        after.insert("schema".into(), json!({ "type": schema.get("type") }));
        object.insert("schema".into(), schema);
        self.record(at, Some(before), Some(Value::Object(after)), notes.join("; "));
    }

    /// A body parameter as a `requestBody` with its schema under each non-form media type of
    /// `consumes` (`application/json` when there is none).
    fn body_request(&mut self, param: Param, consumes: &[String]) -> Value {
        let Param { mut value, site, origin, .. } = param;
        let name = value.shift_remove("name");
        value.shift_remove("in");
        let schema = value.shift_remove("schema").unwrap_or_else(|| json!({}));
        let mut media: Vec<&str> = consumes.iter().map(String::as_str).filter(|m| !is_form(m)).collect();
        if media.is_empty() {
            media.push(JSON);
        }
        let content: Map<String, Value> =
            media.iter().map(|m| ((*m).to_owned(), json!({ "schema": schema }))).collect();
        let mut body = Map::new();
        let mut notes = Vec::new();
        for (key, entry) in value {
            if key == "description" || key == "required" || key.starts_with("x-") {
                body.insert(key, entry);
            } else {
                notes.push(format!("; its {key} has no place in a request body and was dropped"));
            }
        }
        body.insert("content".into(), Value::Object(content));
        let name = name.as_ref().and_then(Value::as_str).unwrap_or("");
        let note = format!("body parameter {name:?} as a requestBody{origin}; its name is not kept{}", notes.concat());
        self.record(&site, Some(json!(name)), Some(json!(media)), note);
        Value::Object(body)
    }

    /// formData parameters as a `requestBody` of one object schema (a property per field) under
    /// the form media types of `consumes` (multipart when a field is a file, else urlencoded).
    fn form_body(&mut self, fields: Vec<Param>, consumes: &[String], at: &str) -> Value {
        let (mut properties, mut required, mut encoding, mut notes) = (Map::new(), Vec::new(), Map::new(), Vec::new());
        for Param { mut value, at: field_at, origin, .. } in fields {
            let Some(name) = value.shift_remove("name").and_then(|n| n.as_str().map(str::to_owned)) else {
                notes.push(format!("the field at {field_at} has no name and was dropped"));
                continue;
            };
            value.shift_remove("in");
            if value.shift_remove("required") == Some(json!(true)) {
                required.push(json!(name));
            }
            drop_nested_formats(&mut value, &mut notes);
            if let Some(format) = value.shift_remove("collectionFormat") {
                let (style, explode, note) = style_for(format.as_str(), "formData");
                if let Some(style) = style {
                    encoding.insert(name.clone(), json!({ "style": style, "explode": explode.unwrap_or(false) }));
                }
                notes.push(format!("{name}: {note}"));
            }
            if let Some(flag) = value.shift_remove("allowEmptyValue") {
                notes.push(format!("{name}: allowEmptyValue {flag} has no place in a form body; dropped"));
            }
            if !origin.is_empty() {
                notes.push(format!("{name}{origin}"));
            }
            let mut schema = Value::Object(value);
            self.fix_schema(&mut schema, &field_at);
            properties.insert(name, schema);
        }
        let binary = properties.values().any(|p| p.get("format") == Some(&json!("binary")));
        let mut media: Vec<&str> = consumes.iter().map(String::as_str).filter(|m| is_form(m)).collect();
        if media.is_empty() {
            media.push(if binary { MULTIPART } else { URLENCODED });
        }
        let names: Vec<&String> = properties.keys().collect();
        let before = json!(names);
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        let mut content = Map::new();
        for media_type in &media {
            let mut entry = json!({ "schema": schema });
            if !encoding.is_empty() {
                if media_type.eq_ignore_ascii_case(URLENCODED) {
                    entry["encoding"] = Value::Object(encoding.clone());
                } else {
                    notes.push(format!(
                        "the fields' collectionFormat has no OpenAPI 3 spelling in {media_type}; dropped there"
                    ));
                }
            }
            content.insert((*media_type).to_owned(), entry);
        }
        let note = format!(
            "formData parameters as the properties of one object schema{}",
            notes.iter().map(|n| format!("; {n}")).collect::<String>()
        );
        self.record(at, Some(before), Some(json!(media)), note);
        let mut body = json!({ "content": content });
        if schema.get("required").is_some() {
            body["required"] = json!(true);
        }
        body
    }

    /// Takes the body and formData parameters (resolving shared ones) out of a `parameters`
    /// list, converting the others in place.
    fn split_parameters(&mut self, list: &mut Value, at: &str) -> Vec<Param> {
        let Some(items) = list.as_array_mut() else {
            self.record(at, None, None, "parameters is not a list; left as it is");
            return Vec::new();
        };
        let mut taken = Vec::new();
        for (index, mut item) in std::mem::take(items).into_iter().enumerate() {
            let site = format!("{at}/{index}");
            let shared = item
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/parameters/"))
                .map(pointer::unescape);
            let definition = match &shared {
                Some(name) => self.shared.get(name),
                None => Some(&item),
            };
            let is_body =
                matches!(definition.and_then(|p| p.get("in")).and_then(Value::as_str), Some("body" | "formData"));
            if !is_body {
                if let (None, Some(param)) = (&shared, item.as_object_mut()) {
                    let location = param.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
                    self.move_into_schema(param, &site, &location);
                }
                items.push(item);
                continue;
            }
            let (value, defined_at, origin) = match shared {
                Some(name) => (
                    self.shared.get(&name).cloned(),
                    child("/parameters", &name),
                    format!(" (the shared parameter {name:?}, inlined)"),
                ),
                None => (Some(item), site.clone(), String::new()),
            };
            if let Some(Value::Object(value)) = value {
                taken.push(Param { value, at: defined_at, site, origin });
            }
        }
        taken
    }

    /// Converts every path item and operation.
    fn convert_paths(&mut self, paths: &mut Value) {
        let Some(paths) = paths.as_object_mut() else { return };
        for (path, item) in paths.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
            let at = child("/paths", path);
            let Some(item) = item.as_object_mut() else { continue };
            let inherited = match item.get_mut("parameters") {
                Some(list) => self.split_parameters(list, &child(&at, "parameters")),
                None => Vec::new(),
            };
            if item.get("parameters").and_then(Value::as_array).is_some_and(Vec::is_empty) {
                item.shift_remove("parameters");
            }
            let mut used = false;
            for method in METHODS {
                if let Some(Value::Object(operation)) = item.get_mut(method) {
                    used = true;
                    let inherited: Vec<Param> = inherited
                        .iter()
                        .map(|p| Param {
                            origin: format!(" (declared on the path item, applied to {method})"),
                            ..p.clone()
                        })
                        .collect();
                    self.convert_operation(operation, &child(&at, method), inherited);
                }
            }
            if !used {
                for param in &inherited {
                    self.record(
                        &param.site,
                        None,
                        None,
                        "a body or formData parameter of a path item without operations; dropped",
                    );
                }
            }
        }
    }

    /// Converts one operation: its media types, parameters, request body, responses, schemes.
    fn convert_operation(&mut self, operation: &mut Map<String, Value>, at: &str, inherited: Vec<Param>) {
        let mut own = Map::new();
        for key in ["consumes", "produces"] {
            if let Some(value) = operation.shift_remove(key) {
                own.insert(key.into(), value);
            }
        }
        let media = |key: &str, default: &[String]| own.get(key).and_then(strings).unwrap_or_else(|| default.to_vec());
        let (consumes, produces) = (media("consumes", &self.consumes), media("produces", &self.produces));
        if !own.is_empty() {
            self.record(
                at,
                Some(Value::Object(own)),
                None,
                "the operation's own media types, used for its request body and responses",
            );
        }
        let mut taken = match operation.get_mut("parameters") {
            Some(list) => self.split_parameters(list, &child(at, "parameters")),
            None => Vec::new(),
        };
        if operation.get("parameters").and_then(Value::as_array).is_some_and(Vec::is_empty) {
            operation.shift_remove("parameters");
        }
        for param in inherited {
            let overridden = taken.iter().any(|t| {
                t.location() == param.location() && (param.location() == Some("body") || t.name() == param.name())
            });
            if !overridden {
                taken.push(param);
            }
        }
        let (mut bodies, fields): (Vec<Param>, Vec<Param>) =
            taken.into_iter().partition(|p| p.location() == Some("body"));
        let mut body = None;
        if !bodies.is_empty() {
            let first = bodies.remove(0);
            for extra in bodies.iter().chain(&fields) {
                self.record(
                    &extra.site,
                    None,
                    None,
                    "an operation has one request body: a parameter beside its first body parameter; dropped",
                );
            }
            body = Some(self.body_request(first, &consumes));
        } else if !fields.is_empty() {
            body = Some(self.form_body(fields, &consumes, &child(at, "parameters")));
        }
        if let Some(body) = body {
            if operation.contains_key("requestBody") {
                self.record(
                    &child(at, "requestBody"),
                    None,
                    None,
                    "the operation already has a requestBody; the converted parameters are dropped",
                );
            } else {
                operation.insert("requestBody".into(), body);
            }
        }
        if let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) {
            for (code, response) in responses.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
                self.convert_response(response, &child(&child(at, "responses"), code), &produces);
            }
        }
        if let Some(schemes) = operation.shift_remove("schemes") {
            let urls = self.server_urls(&strings(&schemes).unwrap_or_default());
            operation.insert("servers".into(), urls.iter().map(|url| json!({ "url": url })).collect());
            self.record(
                &child(at, "schemes"),
                Some(schemes),
                Some(json!(urls)),
                "the operation's own schemes as its servers",
            );
        }
    }

    /// A response's `schema` and `examples` as `content` per media type of `produces`
    /// (`application/json` when there is none), its headers' types as schemas.
    fn convert_response(&mut self, response: &mut Value, at: &str, produces: &[String]) {
        let Some(response) = response.as_object_mut() else { return };
        if response.contains_key("$ref") {
            return;
        }
        if !response.contains_key("description") {
            response.insert("description".into(), json!(""));
            self.record(
                &child(at, "description"),
                None,
                Some(json!("")),
                "OpenAPI 3 requires a response description; an empty one added",
            );
        }
        let mut schema = response.shift_remove("schema");
        let examples = response.shift_remove("examples");
        // A success with no schema still says, through `produces`, that its body streams
        // (`text/event-stream`): the media type is kept, with no schema (any JSON per item).
        let code = at.rsplit('/').next().unwrap_or_default();
        let success = code.starts_with('2') || code == "default";
        let streamed: Vec<&String> =
            produces.iter().filter(|m| crate::model::streams::stream_kind(m).is_some()).collect();
        if schema.is_none() && examples.is_none() && success && !streamed.is_empty() {
            let content: Map<String, Value> = streamed.iter().map(|m| ((*m).clone(), json!({}))).collect();
            self.record(
                at,
                None,
                Some(json!(streamed)),
                "a streamed media type of `produces` as content, without a schema: each item is any JSON",
            );
            response.insert("content".into(), Value::Object(content));
        }
        if schema.is_some() || examples.is_some() {
            if let Some(schema) = schema.as_mut() {
                self.fix_schema(schema, &child(at, "schema"));
            }
            let mut notes = String::from(if produces.is_empty() { " (no produces: application/json)" } else { "" });
            let mut content = Map::new();
            // grpc-gateway documents a server stream as `application/json` whose schema is one
            // of its `x-stream-definitions` (`{result, error}`): the body is one such object per
            // line, JSON lines in fact.
            let grpc_stream = schema
                .as_ref()
                .and_then(|s| s.get("$ref"))
                .and_then(Value::as_str)
                .is_some_and(|r| r.starts_with("#/x-stream-definitions/"));
            if let Some(schema) = &schema {
                let fallback = [JSON.to_owned()];
                let stream = [GRPC_STREAM.to_owned()];
                let media_types = match (grpc_stream, produces.is_empty()) {
                    (true, _) => &stream[..],
                    (false, true) => &fallback[..],
                    (false, false) => produces,
                };
                for media in media_types {
                    content.insert(media.clone(), json!({ "schema": schema }));
                }
            }
            if grpc_stream {
                notes.push_str("; a grpc-gateway stream (`x-stream-definitions`): one JSON object per line");
            }
            match examples {
                Some(Value::Object(examples)) => {
                    for (media, example) in examples {
                        let entry = content
                            .entry(media)
                            .or_insert_with(|| schema.as_ref().map_or_else(|| json!({}), |s| json!({ "schema": s })));
                        entry["example"] = example;
                    }
                    notes.push_str("; examples as each media type's example");
                }
                Some(other) => {
                    notes.push_str(&format!("; examples {other} is not a map of media types and was dropped"))
                }
                None => {}
            }
            let before = if schema.is_some() { "schema" } else { "examples" };
            let media: Vec<&String> = content.keys().collect();
            self.record(
                at,
                Some(json!(before)),
                Some(json!(media)),
                format!("a response's schema as content per produced media type{notes}"),
            );
            response.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                if let Some(header) = header.as_object_mut() {
                    self.move_into_schema(header, &child(&child(at, "headers"), name), "header");
                }
            }
        }
    }

    /// A 2.0 security definition as a 3.0 security scheme: basic as http, oauth2's `flow` as `flows`.
    fn security_scheme(&mut self, scheme: &mut Value, at: &str) {
        let Some(scheme) = scheme.as_object_mut() else { return };
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                scheme.insert("type".into(), json!("http"));
                scheme.insert("scheme".into(), json!("basic"));
                self.record(
                    &child(at, "type"),
                    Some(json!("basic")),
                    Some(json!({ "type": "http", "scheme": "basic" })),
                    "basic authentication as an http scheme",
                );
            }
            Some("oauth2") => {
                let flow = scheme.get("flow").and_then(Value::as_str).unwrap_or("").to_owned();
                let (name, urls): (&str, &[&str]) = match flow.as_str() {
                    "implicit" => ("implicit", &["authorizationUrl"]),
                    "password" => ("password", &["tokenUrl"]),
                    "application" => ("clientCredentials", &["tokenUrl"]),
                    "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    _ => {
                        self.record(
                            &child(at, "flow"),
                            Some(json!(flow)),
                            None,
                            "an oauth2 flow OpenAPI 3 does not know; left as it is",
                        );
                        return;
                    }
                };
                scheme.shift_remove("flow");
                let mut flow_object = Map::new();
                for key in ["authorizationUrl", "tokenUrl"] {
                    match scheme.shift_remove(key) {
                        Some(url) if urls.contains(&key) => {
                            flow_object.insert(key.into(), url);
                        }
                        Some(url) => self.record(
                            &child(at, key),
                            Some(url),
                            None,
                            format!("the {name} flow has no {key}; dropped"),
                        ),
                        None if urls.contains(&key) => {
                            flow_object.insert(key.into(), json!(""));
                            self.record(
                                &child(at, key),
                                None,
                                Some(json!("")),
                                format!("the {name} flow needs {key}; none given, left empty"),
                            );
                        }
                        None => {}
                    }
                }
                let scopes = scheme.shift_remove("scopes").filter(Value::is_object).unwrap_or_else(|| json!({}));
                flow_object.insert("scopes".into(), scopes);
                scheme.insert("flows".into(), json!({ name: flow_object }));
                self.record(
                    &child(at, "flow"),
                    Some(json!(flow)),
                    Some(json!(format!("flows/{name}"))),
                    "an oauth2 flow as a Flows Object",
                );
            }
            _ => {}
        }
    }
}

/// The converted root in reading order: `openapi` first, `servers` after `info`, `components`
/// where `definitions` (or the first other moved section) was.
fn reorder(root: &mut Map<String, Value>, order: &[String], servers: Value, components: Map<String, Value>) {
    let mut rest = std::mem::take(root);
    let mut servers = Some(servers);
    let mut components = (!components.is_empty()).then_some(Value::Object(components));
    root.insert("openapi".into(), json!("3.0.3"));
    for key in order {
        match key.as_str() {
            "swagger" | "openapi" => {}
            "host" | "basePath" | "schemes" => {
                if let Some(servers) = servers.take() {
                    root.insert("servers".into(), servers);
                }
            }
            "definitions" | "parameters" | "responses" | "securityDefinitions" | "components" => {
                if let Some(components) = components.take() {
                    root.insert("components".into(), components);
                }
            }
            _ => {
                if let Some(value) = rest.shift_remove(key) {
                    root.insert(key.clone(), value);
                }
                if key == "info" {
                    if let Some(servers) = servers.take() {
                        root.insert("servers".into(), servers);
                    }
                }
            }
        }
    }
    let tail = [("servers", servers), ("components", components)];
    for (key, value) in rest.into_iter().map(|(k, v)| (k, Some(v))).chain(tail.map(|(k, v)| (k.to_owned(), v))) {
        if let Some(value) = value {
            root.insert(key, value);
        }
    }
}

/// Where a 2.0 `$ref` points in OpenAPI 3, as (old prefix, new prefix, rewritten reference).
fn rewritten(reference: &str, bodies: &HashSet<String>) -> Option<(&'static str, &'static str, String)> {
    const MOVED: [(&str, &str); 3] = [
        ("#/definitions/", "#/components/schemas/"),
        ("#/responses/", "#/components/responses/"),
        ("#/securityDefinitions/", "#/components/securitySchemes/"),
    ];
    for (from, to) in MOVED {
        if let Some(rest) = reference.strip_prefix(from) {
            return Some((from, to, format!("{to}{rest}")));
        }
    }
    let rest = reference.strip_prefix("#/parameters/")?;
    let name = pointer::unescape(rest.split('/').next().unwrap_or(""));
    let to = if bodies.contains(&name) { "#/components/requestBodies/" } else { "#/components/parameters/" };
    Some(("#/parameters/", to, format!("{to}{rest}")))
}

/// Rewrites every local `$ref` into a moved section (outside extensions and literal data, with
/// a property named `x-…` walked like any other), counting them.
fn rewrite_refs(
    value: &mut Value,
    holds: Holds,
    bodies: &HashSet<String>,
    counts: &mut BTreeMap<(&'static str, &'static str), usize>,
) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref").filter(|_| holds == Holds::Keywords) {
                if let Some((from, to, after)) = rewritten(reference, bodies) {
                    *reference = after;
                    *counts.entry((from, to)).or_insert(0) += 1;
                }
            }
            for (key, child) in object.iter_mut() {
                let inner = holds.child(key, child);
                if inner.is_structure() {
                    rewrite_refs(child, inner, bodies, counts);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs(item, holds, bodies, counts)),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
