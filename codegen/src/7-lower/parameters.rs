//! Path parameters the path template uses but the operation never declares.
//!
//! `/teams/{team_id}/members` with no `team_id` parameter is common in vendor specs, and
//! progenitor panics on it ("missing path name mapping"). The template itself says the parameter
//! exists and is required, so it is declared as a required string; OpenAPI also requires every
//! path parameter to be `required: true`, so a declared one saying otherwise is corrected.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::model::pointer;
use crate::model::walk::{is_operation_key, walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// The names between braces in a path template.
fn template_names(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name.to_string()).collect()
}

fn declared_path_names(list: Option<&Value>, root: &Value) -> BTreeSet<String> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| pointer::resolve(p, root))
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|p| Some(p.get("name")?.as_str()?.to_string()))
        .collect()
}

/// Declares every undeclared path template parameter and makes declared ones required.
pub fn declare_path_parameters(document: &mut Value, changes: &mut Vec<Change>) {
    // The paths are taken out while they are rewritten, and parameter `$ref`s are looked up in
    // the rest (after the references rule every one names a component), instead of in a copy
    // of the whole document.
    let Some(mut taken) = document.get_mut("paths").map(Value::take) else { return };
    let root: &Value = document;
    if let Value::Object(paths) = &mut taken {
        declare_in(paths, root, changes);
    }
    document["paths"] = taken;
}

fn declare_in(paths: &mut serde_json::Map<String, Value>, root: &Value, changes: &mut Vec<Change>) {
    for (path, item) in paths.iter_mut().filter(|(p, _)| !p.starts_with("x-")) {
        let names = template_names(path);
        let item_declared = declared_path_names(item.get("parameters"), root);
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut().filter(|(m, _)| is_operation_key(m)) {
            let at = pointer::child(&pointer::child("/paths", path), method);
            let mut declared = declared_path_names(operation.get("parameters"), root);
            declared.extend(item_declared.iter().cloned());
            let Some(operation) = operation.as_object_mut() else { continue };
            let list = operation.entry("parameters").or_insert_with(|| json!([]));
            let Some(list) = list.as_array_mut() else { continue };
            for (index, parameter) in list.iter_mut().enumerate() {
                let is_path = parameter.get("in").and_then(Value::as_str) == Some("path");
                if is_path && parameter.get("required") != Some(&Value::Bool(true)) {
                    let before = parameter.get("required").cloned();
                    parameter["required"] = Value::Bool(true);
                    changes.push(
                        Change::new(
                            Stage::Lower,
                            Rule::PathParameterDeclared,
                            format!("{at}/parameters/{index}/required"),
                        )
                        .values(before, Some(Value::Bool(true)))
                        .note("a path parameter is always required"),
                    );
                }
            }
            for name in names.iter().filter(|n| !declared.contains(*n)) {
                let parameter = json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } });
                changes.push(
                    Change::new(Stage::Lower, Rule::PathParameterDeclared, pointer::child(&at, "parameters"))
                        .values(None, Some(parameter.clone()))
                        .note(format!("the path template uses {{{name}}} but the operation does not declare it")),
                );
                list.push(parameter);
            }
            if list.is_empty() {
                operation.remove("parameters");
            }
        }
    }
}

/// Declares every parameter given as `content` (a media type and a schema, which OpenAPI allows
/// for a value serialized in that media type, such as JSON in a query string) as a string that
/// carries the serialized value. progenitor accepts only `schema` parameters and refuses the
/// operation otherwise ("unexpected content"). A `text/*` parameter whose schema is already an
/// inline string keeps that schema; any other becomes `{type: string}`, and the report keeps
/// the original so the caller knows what to serialize.
pub fn declare_content_parameters(document: &mut Value, changes: &mut Vec<Change>) {
    struct Declare<'a>(&'a mut Vec<Change>);
    impl Visitor for Declare<'_> {
        fn visit(&mut self, kind: Kind, object: &mut serde_json::Map<String, Value>, at: &str) {
            if kind != Kind::Parameter || object.contains_key("schema") {
                return;
            }
            let Some(Value::Object(content)) = object.get("content") else { return };
            let Some((media_type, entry)) = content.iter().next() else { return };
            let media_type = media_type.clone();
            let textual_string = media_type.starts_with("text/")
                && entry.pointer("/schema/type").and_then(Value::as_str) == Some("string");
            let schema = match entry.get("schema") {
                Some(schema) if textual_string => schema.clone(),
                _ => json!({ "type": "string" }),
            };
            let before = object.remove("content");
            object.insert("schema".into(), schema.clone());
            self.0.push(
                Change::new(Stage::Lower, Rule::ParameterContentAsString, format!("{at}/content"))
                    .values(before, Some(schema))
                    .note(format!(
                        "pass the value serialized as {media_type}; the generator takes only `schema` parameters"
                    )),
            );
        }
    }
    walk(&mut Declare(changes), Kind::Document, document, "");
}

/// A parameter's identity in an operation: (location, name).
fn parameter_key(parameter: &Value) -> (String, String) {
    let field = |k: &str| parameter.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (field("in"), field("name"))
}

/// The Rust argument name progenitor gives a parameter called `name`.
fn rust_name(name: &str) -> String {
    crate::model::naming::generator_name(name, false)
}

/// The extension a renamed parameter keeps its wire name in, for the client's request hook.
pub const WIRE_NAME: &str = "x-codegen-wire-name";

/// Renames a query or header parameter whose Rust name another parameter of the operation
/// already has (`maxResults` and `MaxResults`, `code` and `code[]`: both `max_results`,
/// `code`). progenitor names a method's argument after the wire name and has no way to rename
/// one, so such an operation would bind one name twice and not compile. The later parameter is
/// given a free name (`max_results_2`) and keeps its wire name in [`WIRE_NAME`]; the generated
/// client's request hook puts the wire name back on the query key or header before sending.
/// Path parameters are never renamed (their name is in the path template), nor parameters
/// shared by the whole path item (a copy would not replace the shared one); an operation whose
/// collision only those could fix is still left out at generation, with the reason.
pub fn separate_colliding_names(document: &mut Value, changes: &mut Vec<Change>) {
    let Some(mut taken) = document.get_mut("paths").map(Value::take) else { return };
    let root: &Value = document;
    for (path, item) in taken.as_object_mut().into_iter().flatten().filter(|(p, _)| !p.starts_with("x-")) {
        if let Some(item) = item.as_object_mut() {
            push_down_colliding_shared(item, root);
        }
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(|list| list.iter().map(|p| pointer::resolve(p, root).clone()).collect())
            .unwrap_or_default();
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut().filter(|(m, _)| is_operation_key(m)) {
            let at = format!("{}/parameters", pointer::child(&pointer::child("/paths", path), method));
            let Some(list) = operation.get_mut("parameters").and_then(Value::as_array_mut) else { continue };
            rename_in(list, &shared, root, &at, changes);
        }
    }
    document["paths"] = taken;
}

/// When a query or header parameter shared by the whole path item has the Rust name of another
/// parameter (Kubernetes shares a path `path` and a query `path`), the path item's query and
/// header parameters are moved into each of its operations (unless one overrides them), where
/// they can be renamed. The operations mean the same as before.
fn push_down_colliding_shared(item: &mut serde_json::Map<String, Value>, root: &Value) {
    let Some(Value::Array(shared)) = item.get("parameters") else { return };
    let resolved: Vec<&Value> = shared.iter().map(|p| pointer::resolve(p, root)).collect();
    let key = parameter_key;
    let rust = |p: &Value| rust_name(&key(p).1);
    let renamable = |p: &Value| matches!(key(p).0.as_str(), "query" | "header");
    // Every parameter of the item and its operations, by (location, name) and Rust name; an
    // operation's parameter that overrides a shared one has the same key and is no collision.
    let mut all: Vec<((String, String), String)> = resolved.iter().map(|p| (key(p), rust(p))).collect();
    for (_, operation) in item.iter().filter(|(m, _)| is_operation_key(m)) {
        let own = operation.get("parameters").and_then(Value::as_array).into_iter().flatten();
        all.extend(own.map(|p| pointer::resolve(p, root)).map(|p| (key(p), rust(p))));
    }
    let collides =
        resolved.iter().filter(|p| renamable(p)).any(|p| all.iter().any(|(k, r)| *r == rust(p) && *k != key(p)));
    if !collides {
        return;
    }
    let (moved, kept): (Vec<Value>, Vec<Value>) =
        shared.iter().cloned().partition(|p| renamable(pointer::resolve(p, root)));
    for (_, operation) in item.iter_mut().filter(|(m, _)| is_operation_key(m)) {
        let Some(operation) = operation.as_object_mut() else { continue };
        let list = operation.entry("parameters").or_insert_with(|| json!([]));
        let Some(list) = list.as_array_mut() else { continue };
        let own: Vec<(String, String)> = list.iter().map(|p| key(pointer::resolve(p, root))).collect();
        list.extend(moved.iter().filter(|p| !own.contains(&key(pointer::resolve(p, root)))).cloned());
    }
    if kept.is_empty() {
        item.shift_remove("parameters");
    } else {
        item.insert("parameters".into(), Value::Array(kept));
    }
}

fn rename_in(list: &mut [Value], shared: &[Value], root: &Value, at: &str, changes: &mut Vec<Change>) {
    let key = parameter_key;
    let own: Vec<(String, String)> = list.iter().map(|p| key(pointer::resolve(p, root))).collect();
    let rust = rust_name;
    // What cannot be renamed comes first: shared parameters the operation does not override,
    // and its own path and cookie parameters.
    let renamable = |location: &str| matches!(location, "query" | "header");
    let mut used: Vec<String> = shared.iter().filter(|p| !own.contains(&key(p))).map(|p| rust(&key(p).1)).collect();
    used.extend(own.iter().filter(|(location, _)| !renamable(location)).map(|(_, name)| rust(name)));
    for (index, slot) in list.iter_mut().enumerate() {
        let parameter = pointer::resolve(slot, root);
        let (location, name) = key(parameter);
        if !renamable(&location) {
            continue;
        }
        let wanted = rust(&name);
        if !used.contains(&wanted) {
            used.push(wanted);
            continue;
        }
        // `wanted` is taken: it is why this parameter is renamed.
        let free = crate::model::naming::first_free(&wanted, "_", |n| n == wanted || used.contains(&rust(n)));
        let mut renamed = parameter.clone();
        renamed["name"] = Value::String(free.clone());
        renamed[WIRE_NAME] = Value::String(name.clone());
        // The method's documentation tells the caller which documented parameter this is.
        let sent_as = format!("Sent as `{name}`.");
        renamed["description"] = Value::String(match parameter.get("description").and_then(Value::as_str) {
            Some(text) if text.trim_end().ends_with(['.', '!', '?']) => format!("{} {sent_as}", text.trim_end()),
            Some(text) if !text.trim().is_empty() => format!("{}. {sent_as}", text.trim_end()),
            _ => sent_as,
        });
        *slot = renamed;
        changes.push(
            Change::new(Stage::Lower, Rule::ParameterRenamed, format!("{at}/{index}/name"))
                .values(Some(Value::String(name.clone())), Some(Value::String(free.clone())))
                .note(format!("another parameter is also `{wanted}` in Rust; the client still sends `{name}`")),
        );
        used.push(rust(&free));
    }
}

/// The extension marking a query parameter documented `style: deepObject` with an object
/// value, which the generated method sends through the runtime's `DeepObject`.
pub const DEEP_OBJECT: &str = "x-codegen-deep-object";

/// Rewrites a `deepObject` query parameter whose schema is an array as the form parameter
/// `name[]`, repeated (`expand[]=a&expand[]=b`). OpenAPI defines `deepObject` for objects
/// only; for arrays the convention of Rails, PHP and Stripe is the bracketed repeated key,
/// which progenitor can send once the name carries the brackets (its Rust name is unchanged).
/// An object value is declared in the form style and marked [`DEEP_OBJECT`]: the generated
/// method sends it through the runtime (see `item_fixes`). progenitor refuses any
/// `deepObject` parameter, so without these the operation is left out.
pub fn fit_deep_object_arrays(document: &mut Value, changes: &mut Vec<Change>) {
    fit_query_parameters(document, &mut |object, at, root| {
        if object.get("style").and_then(Value::as_str) != Some("deepObject") {
            return;
        }
        let is_array = object.get("schema").map(|s| pointer::resolve(s, root)).and_then(|s| s.get("type"))
            == Some(&json!("array"));
        let Some(Value::String(name)) = object.get("name").cloned() else { return };
        if !is_array {
            // An object: progenitor has no deepObject style, so the parameter is declared
            // in the form style it knows and marked; the generated method sends it through
            // the runtime's `DeepObject`, as `name[key]=value` pairs.
            object.insert("style".into(), json!("form"));
            object.insert("explode".into(), Value::Bool(true));
            object.insert(DEEP_OBJECT.into(), Value::Bool(true));
            let note = "sent by the client as name[key]=value pairs (nested keys name[a][b], arrays name[key][])";
            changes.push(
                Change::new(Stage::Lower, Rule::DeepObjectSentBracketed, format!("{at}/style"))
                    .values(Some(json!("deepObject")), Some(json!("form")))
                    .note(note),
            );
            return;
        }
        if name.ends_with("[]") {
            return;
        }
        let bracketed = format!("{name}[]");
        object.insert("name".into(), Value::String(bracketed.clone()));
        object.insert("style".into(), json!("form"));
        object.insert("explode".into(), Value::Bool(true));
        changes.push(
            Change::new(Stage::Lower, Rule::DeepObjectArrayBracketed, format!("{at}/name"))
                .values(Some(Value::String(name)), Some(Value::String(bracketed)))
                .note("`deepObject` is defined for objects only; an array is sent as the repeated bracketed key"),
        );
    });
}

/// The extension carrying the delimiter an array query parameter's items are joined with.
pub const DELIMITER: &str = "x-codegen-delimiter";

/// Declares an array query parameter documented as one delimited value (`pipeDelimited`,
/// `spaceDelimited`, or `form` with `explode: false`) in the form style progenitor knows, marked
/// with its [`DELIMITER`]; the generated method sends it through the runtime's `Delimited`
/// (`ids=a|b|c`). progenitor refuses the delimited styles (the operation was left out) and sends
/// every form array as repeated keys, which a server expecting one value reads wrongly. With
/// `explode: true`, both delimited styles mean repeated keys, the form style's default.
pub fn fit_delimited_arrays(document: &mut Value, changes: &mut Vec<Change>) {
    fit_query_parameters(document, &mut |object, at, root| {
        let style = object.get("style").and_then(Value::as_str).unwrap_or("form").to_string();
        let delimiter = match style.as_str() {
            "pipeDelimited" => "|",
            "spaceDelimited" => " ",
            "form" => ",",
            _ => return,
        };
        let explode = object.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
        let is_array = object.get("schema").map(|s| pointer::resolve(s, root)).and_then(|s| s.get("type"))
            == Some(&json!("array"));
        let joined = is_array && !explode;
        if style == "form" && !joined {
            return;
        }
        let before = json!({ "style": style, "explode": explode });
        object.insert("style".into(), json!("form"));
        object.insert("explode".into(), Value::Bool(true));
        let note = if joined {
            object.insert(DELIMITER.into(), json!(delimiter));
            format!("sent by the client as one value, items joined by {delimiter:?}")
        } else {
            "the same on the wire in the form style the generator knows".to_string()
        };
        changes.push(
            Change::new(Stage::Lower, Rule::DelimitedArrayJoined, at.to_string())
                .values(Some(before), Some(json!({ "style": "form", "explode": true })))
                .note(note),
        );
    });
}

/// Takes a query parameter whose value typify would make a struct (an object with
/// `properties`, directly or through `allOf`) as an open JSON object: progenitor's builder has
/// a setter only for a body of a struct type, and a parameter of one panics it (`unreachable!`).
/// The value is sent the same way (form style: `key=value` per field; `deepObject`:
/// `name[key]=value`), and the documented fields are listed in the parameter's description so
/// the caller still learns them.
pub fn fit_struct_parameters(document: &mut Value, changes: &mut Vec<Change>) {
    fit_query_parameters(document, &mut |object, at, root| {
        let Some(schema) = object.get("schema") else { return };
        let Some(fields) = struct_fields(schema, root) else { return };
        let listed = format!("An object with the fields {}.", fields.join(", "));
        let description = match object.get("description").and_then(Value::as_str) {
            Some(text) if !text.is_empty() => format!("{text}\n\n{listed}"),
            _ => listed,
        };
        object.insert("description".into(), Value::String(description));
        let before = object.insert("schema".into(), json!({ "type": "object", "additionalProperties": true }));
        changes.push(
            Change::new(Stage::Lower, Rule::StructParameterAsMap, format!("{at}/schema"))
                .values(before, Some(json!({ "type": "object", "additionalProperties": true })))
                .note("the generator has no setter for a parameter of a struct type; the value is a JSON object sent the same way, its fields listed in the description"),
        );
    });
}

/// A rewrite of one query parameter: (the parameter, its pointer, `{components: {schemas}}`).
type ParameterFit<'a> = dyn FnMut(&mut serde_json::Map<String, Value>, &str, &Value) + 'a;

/// Calls `fit(parameter, pointer, root)` on every query parameter of `document`, `root` holding
/// the component schemas to resolve its schema in (`{components: {schemas}}`). Parameters never
/// sit inside component schemas, so the schemas are taken out while the rest is walked, instead
/// of copied.
fn fit_query_parameters(document: &mut Value, fit: &mut ParameterFit<'_>) {
    struct Each<'a, 'f> {
        root: &'a Value,
        fit: &'f mut ParameterFit<'f>,
    }
    impl Visitor for Each<'_, '_> {
        fn visit(&mut self, kind: Kind, object: &mut serde_json::Map<String, Value>, at: &str) {
            if kind == Kind::Parameter && object.get("in").and_then(Value::as_str) == Some("query") {
                (self.fit)(object, at, self.root);
            }
        }
    }
    let schemas = document.pointer_mut("/components/schemas").map(Value::take).unwrap_or(Value::Null);
    let mut root = json!({ "components": { "schemas": schemas } });
    walk(&mut Each { root: &root, fit }, Kind::Document, document, "");
    if let Some(slot) = document.pointer_mut("/components/schemas") {
        *slot = root["components"]["schemas"].take();
    }
}

/// The property names of a schema typify makes a struct of (an object with `properties`, or an
/// `allOf` with such a member), in their documented order; `None` for a map or any other schema.
fn struct_fields(schema: &Value, root: &Value) -> Option<Vec<String>> {
    struct_fields_within(schema, root, 8)
}

/// [`struct_fields`], following at most `depth` nested `allOf`s (a cycle ends there).
fn struct_fields_within(schema: &Value, root: &Value, depth: usize) -> Option<Vec<String>> {
    let schema = pointer::resolve(schema, root);
    // `properties` beside another declared type (`type: string`) constrain nothing: the value
    // is that type, and typify makes it one.
    if schema.get("type").and_then(Value::as_str).is_some_and(|t| t != "object") {
        return None;
    }
    let mut fields: Vec<String> = Vec::new();
    let own = schema.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.keys().cloned());
    let members = schema.get("allOf").and_then(Value::as_array).into_iter().flatten();
    let inherited =
        members.filter(|_| depth > 0).filter_map(|member| struct_fields_within(member, root, depth - 1)).flatten();
    for name in own.map(|name| format!("`{name}`")).chain(inherited) {
        if !fields.contains(&name) {
            fields.push(name);
        }
    }
    (!fields.is_empty()).then_some(fields)
}

/// A header or path parameter documented `nullable`: a header cannot carry null, only be
/// absent, which an optional parameter already says, and a path segment is always a value. The
/// generator would wrap a header's value twice (`Option<Option<String>>`), or make a path
/// segment an `Option`, and format the `Option`, which does not compile.
pub fn fit_nullable_headers(document: &mut Value, changes: &mut Vec<Change>) {
    walk(&mut NullableHeaders { changes }, Kind::Document, document, "");
}

struct NullableHeaders<'a> {
    changes: &'a mut Vec<Change>,
}

impl Visitor for NullableHeaders<'_> {
    fn visit(&mut self, kind: Kind, object: &mut serde_json::Map<String, Value>, at: &str) {
        let location = object.get("in").and_then(Value::as_str);
        if kind != Kind::Parameter || !matches!(location, Some("header") | Some("path")) {
            return;
        }
        let note = if location == Some("path") {
            "a path segment always has a value; null cannot be sent in one"
        } else {
            "a header is absent or has a value; null cannot be sent in one"
        };
        let Some(schema) = object.get_mut("schema").and_then(Value::as_object_mut) else { return };
        if let Some(before) = schema.remove("nullable") {
            self.changes.push(
                Change::new(
                    Stage::Lower,
                    Rule::SchemaFitted,
                    pointer::child(&pointer::child(at, "schema"), "nullable"),
                )
                .values(Some(before), None)
                .note(note),
            );
        }
    }
}

/// Calls `each` with every parameter list of `document`'s paths (a path item's own and each
/// operation's), its pointer and the path it belongs to.
fn each_parameter_list(document: &mut Value, mut each: impl FnMut(&mut Vec<Value>, &str, &str)) {
    let Some(Value::Object(paths)) = document.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut().filter(|(p, _)| !p.starts_with("x-")) {
        let item_at = pointer::child("/paths", path);
        for (key, value) in item.as_object_mut().into_iter().flatten() {
            let (list, at) = match key.as_str() {
                "parameters" => (Some(value), pointer::child(&item_at, "parameters")),
                method if is_operation_key(method) => {
                    (value.get_mut("parameters"), pointer::child(&pointer::child(&item_at, method), "parameters"))
                }
                _ => continue,
            };
            if let Some(Value::Array(list)) = list {
                each(list, &at, path);
            }
        }
    }
}

/// Removes the parameters of `list` (written at `at`) for which `drop` says why, recording each
/// with `rule`.
fn drop_parameters(
    list: &mut Vec<Value>,
    at: &str,
    rule: Rule,
    changes: &mut Vec<Change>,
    mut drop: impl FnMut(&Value) -> Option<String>,
) {
    let mut index = 0;
    list.retain(|parameter| {
        let why = drop(parameter);
        if let Some(note) = &why {
            changes.push(
                Change::new(Stage::Lower, rule, format!("{at}/{index}"))
                    .values(Some(parameter.clone()), None)
                    .note(note),
            );
        }
        index += 1;
        why.is_none()
    });
}

/// Cookie parameters go: progenitor refuses the operation that has one ("cookie parameters are
/// not supported"), and one cookie is not worth a whole operation. The caller sends it as a
/// header for the call (`RequestOptions::header("Cookie", "session=…")`); the report and the
/// operation's docs say so.
pub fn drop_cookie_parameters(document: &mut Value, changes: &mut Vec<Change>) {
    super::with_paths_apart(document, |paths, root| {
        each_parameter_list(paths, |list, at, _| {
            drop_parameters(list, at, Rule::CookieParameterDropped, changes, |parameter| {
                let resolved = pointer::resolve(parameter, root);
                let name = resolved.get("name").and_then(Value::as_str).unwrap_or_default();
                (resolved.get("in").and_then(Value::as_str) == Some("cookie")).then(|| {
                    format!("the generator cannot send cookies; send it per call: RequestOptions::header(\"Cookie\", \"{name}=…\")")
                })
            });
        });
    });
}

/// A path or header parameter whose schema is no scalar (an object, `oneOf: [string, array]`,
/// an array in a path) is given as the text it is sent as: progenitor writes such a parameter
/// with `Display`, which typify's structs and unions do not implement, and the client did not
/// compile. A header array of scalars stays an array (the client joins it with commas).
pub fn fit_textual_parameters(document: &mut Value, changes: &mut Vec<Change>) {
    // The shared parameters and the paths change; schemas are read beside them (references
    // name components after the references rule), so neither is copied.
    let mut shared = document.pointer_mut("/components/parameters").map(Value::take);
    super::with_paths_apart(document, |paths, root| fit_textual_parameters_in(paths, shared.as_mut(), root, changes));
    if let (Some(shared), Some(slot)) = (shared, document.pointer_mut("/components/parameters")) {
        *slot = shared;
    }
}

/// [`fit_textual_parameters`] of `paths` (`{"paths": …}`) and the `shared` parameters, with
/// `root` to resolve schemas in.
fn fit_textual_parameters_in(paths: &mut Value, shared: Option<&mut Value>, root: &Value, changes: &mut Vec<Change>) {
    let mut fit = |parameter: &mut Value, at: &str| {
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or_default().to_string();
        let Some(schema) = parameter.get("schema").map(|s| pointer::resolve(s, root)) else { return };
        let kind = schema.get("type").and_then(Value::as_str);
        let scalar = matches!(kind, Some("string" | "integer" | "number" | "boolean"))
            && !["oneOf", "anyOf", "allOf", "properties"].iter().any(|k| schema.get(*k).is_some());
        let enum_only = kind.is_none() && schema.get("enum").is_some();
        let scalar_items = schema.get("items").map(|i| pointer::resolve(i, root)).is_some_and(|items| {
            matches!(items.get("type").and_then(Value::as_str), Some("string" | "integer" | "number" | "boolean"))
                && !["oneOf", "anyOf", "allOf", "properties"].iter().any(|k| items.get(*k).is_some())
        });
        let header_array = location == "header" && kind == Some("array") && scalar_items;
        if !matches!(location.as_str(), "path" | "header") || scalar || enum_only || header_array {
            return;
        }
        let before = parameter.get("schema").cloned();
        let list = if location == "path" { " (a list as comma-separated values)" } else { "" };
        let schema = json!({"type": "string", "description": format!("The value as sent{list}.")});
        parameter["schema"] = schema.clone();
        changes.push(
            Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, "schema"))
                .values(before, Some(schema))
                .note("a path or header parameter that is no scalar is given as the text sent (progenitor writes it with Display)"),
        );
    };
    if let Some(Value::Object(parameters)) = shared {
        for (name, parameter) in parameters.iter_mut() {
            fit(parameter, &pointer::child("/components/parameters", name));
        }
    }
    each_parameter_list(paths, |list, at, _| {
        for (index, parameter) in list.iter_mut().enumerate() {
            if parameter.get("$ref").is_none() {
                fit(parameter, &format!("{at}/{index}"));
            }
        }
    });
}

/// A path parameter the path template does not name (`GET /` declaring `path`) has nowhere to
/// go in the URL: progenitor still makes a setter for it, whose value the request never uses
/// (a warning in the client, and a caller who believes it was sent). It is dropped.
pub fn drop_untemplated_path_parameters(document: &mut Value, changes: &mut Vec<Change>) {
    super::with_paths_apart(document, |paths, root| {
        each_parameter_list(paths, |list, at, path| {
            let named = template_names(path);
            drop_parameters(list, at, Rule::PathParameterDeclared, changes, |parameter| {
                let resolved = pointer::resolve(parameter, root);
                let name = resolved.get("name").and_then(Value::as_str).unwrap_or_default();
                let stray =
                    resolved.get("in").and_then(Value::as_str) == Some("path") && !named.iter().any(|n| n == name);
                stray.then(|| format!("the path template has no {{{name}}}: the parameter could not be sent, and goes"))
            });
        });
    });
}
