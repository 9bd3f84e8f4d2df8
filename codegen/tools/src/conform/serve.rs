//! The normalized spec as Prism can serve it.
//!
//! Prism mocks what a spec says, within limits of its own: some documents it cannot serve at
//! all, some answers it cannot build. Each adaptation here works around one such limit without
//! changing what the client is checked on: the schemas the client decodes stay the same, or
//! only lose values no server could send (an unsigned integer's negative numbers).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use codegen::lower::media::wildcard_read_as_json;
use codegen::model::pointer;
use codegen::model::walk::{walk, Kind, Visitor};
use codegen::normalize::examples::declared_types;

use super::sample::discriminator_tag;

/// The normalized spec as Prism can serve it:
/// - `$ref`s to other files that the bundler leaves inside `x-` extensions (code samples in
///   `.ts` files, webhook responses) are turned into plain values, because Prism resolves every
///   `$ref` and stops at the first it cannot read;
/// - response headers whose schema is an array are left out: Prism checks the response it
///   makes up, finds no value for such a header and crashes splitting it (`Cannot read
///   properties of null (reading 'split')`), on every call of the operation. The client reads
///   no typed response header, so nothing it is checked on is lost; so are the headers that
///   frame the message ([`FRAMING_HEADERS`]), whose made-up values break the answer itself;
/// - a response body under a wildcard media type that the client reads as JSON
///   ([`wildcard_read_as_json`]) is served as `application/json`: Prism will not serialize an
///   object for `*/*` (`NO_COMPLEX_OBJECT_TEXT`), a real server sends JSON;
/// - alternatives a discriminator names require their name ([`tag_discriminated_alternatives`]);
/// - header parameters OpenAPI ignores are left out ([`drop_ignored_headers`]);
/// - redirects are served without `Location` ([`unlocated_redirects`]);
/// - a `text/*` request body typed boolean or number is served as the string spelling one
///   ([`scalar_text_bodies_as_strings`]): Prism checks a text body as a string;
/// - a JSON response body without a schema gets the schema that allows anything: Prism refuses
///   to make up a body it has no schema for ("Tried to force a dynamic response ... but schema
///   is not defined"), where the spec allows any;
/// - integers and floats get the bounds of their `format` when they have none: Prism's faker
///   ignores `format` and sends `-3` for a `uint64` and `3.402823669209385e+38` (outside `f32`)
///   for a `float`, values no server holding that type sends;
/// - required properties an object does not describe are declared
///   ([`declare_required_properties`]), and arrays without `items` get any items;
/// - keywords that only constrain other types are dropped where the `type` excludes them
///   ([`drop_keywords_of_other_types`]): Prism's faker answers an object with a `pattern` with
///   a string.
pub fn servable(mut document: Value) -> Value {
    let original = document.clone();
    walk(&mut Adapt { original: &original }, Kind::Document, &mut document, "");
    external_refs_as_values(document)
}

struct Adapt<'a> {
    original: &'a Value,
}

impl Visitor for Adapt<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, _: &str) {
        match kind {
            Kind::Response => {
                drop_unservable_headers(object, self.original);
                if let Some(Value::Object(content)) = object.get_mut("content") {
                    serve_wildcard_as_json(content);
                    for (media_type, media) in content.iter_mut().filter(|(_, media)| media.get("schema").is_none()) {
                        // Any JSON value, or any text for the other media types: Prism writes
                        // a string as the body whatever the media type (it has no PDF serializer).
                        let any = match media_type.contains("json") {
                            true => Value::Object(Map::new()),
                            false => serde_json::json!({"type": "string"}),
                        };
                        if let Some(media) = media.as_object_mut() {
                            media.insert("schema".into(), any);
                        }
                    }
                }
            }
            Kind::Operation => {
                unlocated_redirects(object, self.original);
                drop_ignored_headers(object, self.original);
            }
            Kind::PathItem => drop_ignored_headers(object, self.original),
            Kind::RequestBody => {
                if let Some(Value::Object(content)) = object.get_mut("content") {
                    scalar_text_bodies_as_strings(content, self.original);
                }
            }
            Kind::Schema => {
                tag_discriminated_alternatives(object);
                bound_by_format(object);
                drop_keywords_of_other_types(object);
                declare_required_properties(object);
                give_arrays_items(object);
            }
            _ => {}
        }
    }
}

/// Headers that frame or describe the HTTP message: Prism sends the value it makes up for them
/// (`Content-Length: -3`), and the client's HTTP library refuses the whole answer as malformed
/// ("invalid content-length parsed") before the client can read it; a made-up `Content-Type`
/// (`in ut cillum`) is what Prism then tries to serialize the body as, and fails. A server sets
/// them from the body it sends.
const FRAMING_HEADERS: [&str; 5] =
    ["content-length", "transfer-encoding", "connection", "content-type", "content-encoding"];

/// Leaves out of a response the headers (or `$ref`s to them) whose schema is an array, and the
/// message-framing ones ([`FRAMING_HEADERS`]).
fn drop_unservable_headers(response: &mut Map<String, Value>, document: &Value) {
    let is_array = |header: &Value| {
        let schema = pointer::resolve(header, document).get("schema").map(|s| pointer::resolve(s, document));
        schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("array")
    };
    if let Some(Value::Object(headers)) = response.get_mut("headers") {
        headers
            .retain(|name, header| !is_array(header) && !FRAMING_HEADERS.contains(&name.to_ascii_lowercase().as_str()));
    }
}

/// Moves a wildcard body the client reads as JSON to `application/json`, unless the response
/// also documents a JSON media type (then the client reads that one).
fn serve_wildcard_as_json(content: &mut Map<String, Value>) {
    if content.keys().any(|media_type| media_type.contains("json")) {
        return;
    }
    let wildcard = content.iter().find(|(k, media)| wildcard_read_as_json(k, media)).map(|(k, _)| k.clone());
    if let Some(media) = wildcard.and_then(|k| content.remove(&k)) {
        content.insert("application/json".into(), media);
    }
}

/// Header parameters OpenAPI says are ignored: the media types and the credentials are
/// described by the request body and the security schemes, never by a parameter.
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// Leaves out the header parameters named `Accept`, `Content-Type` or `Authorization`: "the
/// parameter definition SHALL be ignored" (OpenAPI 3, Parameter Object), and the client
/// ignores them, but Prism checks them (docker's `Content-type` enum refused the body's own
/// media type).
fn drop_ignored_headers(object: &mut Map<String, Value>, document: &Value) {
    let Some(Value::Array(parameters)) = object.get_mut("parameters") else { return };
    parameters.retain(|parameter| {
        let parameter = pointer::resolve(parameter, document);
        let header = parameter.get("in").and_then(Value::as_str) == Some("header");
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
        !(header && IGNORED_HEADERS.contains(&name.as_str()))
    });
}

/// Serves the operation's redirects (3xx) without their `Location` header (a `$ref`'d one is
/// inlined first): Prism makes up a location (`http://ut.dolor/...`) and the client's HTTP
/// library follows it to a host that does not exist, so the call fails on a name lookup instead
/// of returning. Without it the client hands the documented redirect back whole, as it does
/// any redirect it cannot follow.
fn unlocated_redirects(operation: &mut Map<String, Value>, document: &Value) {
    let Some(Value::Object(responses)) = operation.get_mut("responses") else { return };
    for (_, response) in responses.iter_mut().filter(|(status, _)| status.starts_with('3')) {
        let mut inlined = pointer::resolve(response, document).clone();
        let Some(Value::Object(headers)) = inlined.get_mut("headers") else { continue };
        headers.retain(|name, _| !name.eq_ignore_ascii_case("location"));
        *response = inlined;
    }
}

/// Wraps each `oneOf`/`anyOf` alternative that a discriminator names with the requirement that
/// its discriminator property hold that name ([`discriminator_tag`]). Prism checks `oneOf`
/// without reading the discriminator, so a body for one alternative that has the required
/// properties of another too (Ory's login flows: `password` and `identifier_first` both take
/// `method` and `identifier`) matched two and was refused ("must match exactly one schema in
/// oneOf"); the server tells them apart by the property, and now so does Prism, which also
/// checks that the client sends the right name.
fn tag_discriminated_alternatives(schema: &mut Map<String, Value>) {
    if !schema.contains_key("discriminator") {
        return;
    }
    let view = schema.clone();
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(alternatives)) = schema.get_mut(key) else { continue };
        for alternative in alternatives.iter_mut() {
            let Some((property, tag)) = discriminator_tag(&view, alternative) else { continue };
            let named = serde_json::json!({"type": "object", "required": [property], "properties": {property.as_str(): {"enum": [tag]}}});
            *alternative = serde_json::json!({"allOf": [alternative.clone(), named]});
        }
    }
}

/// Serves a `text/*` request body whose schema is a boolean or a number as the string that
/// spells one (`enum: ["true", "false"]`, a decimal `pattern`). Prism reads a text body as a
/// string and then checks it against the schema, so it refused every `true` the client sent
/// for `type: boolean` ("Request body must be boolean"); the spelled-out string keeps the check.
fn scalar_text_bodies_as_strings(content: &mut Map<String, Value>, document: &Value) {
    for (media_type, media) in content.iter_mut() {
        if !media_type.starts_with("text/") {
            continue;
        }
        let Some(schema) = media.get("schema").map(|s| pointer::resolve(s, document)) else { continue };
        let spelled = match schema.get("type").and_then(Value::as_str) {
            Some("boolean") => serde_json::json!({"type": "string", "enum": ["true", "false"]}),
            Some("integer") => serde_json::json!({"type": "string", "pattern": "^-?[0-9]+$"}),
            Some("number") => {
                serde_json::json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"})
            }
            _ => continue,
        };
        if let Some(media) = media.as_object_mut() {
            media.insert("schema".into(), spelled);
        }
    }
}

/// The range of each integer `format` the generator maps to a sized Rust integer, and of
/// `float` (`f32`).
const FORMAT_BOUNDS: [(&str, &str, f64, f64); 10] = [
    ("integer", "int8", i8::MIN as f64, i8::MAX as f64),
    ("integer", "uint8", 0.0, u8::MAX as f64),
    ("integer", "int16", i16::MIN as f64, i16::MAX as f64),
    ("integer", "uint16", 0.0, u16::MAX as f64),
    ("integer", "int", i32::MIN as f64, i32::MAX as f64),
    ("integer", "int32", i32::MIN as f64, i32::MAX as f64),
    ("integer", "uint", 0.0, u32::MAX as f64),
    ("integer", "uint32", 0.0, u32::MAX as f64),
    // Only the lower bound matters: the faker's numbers are far from 2^64.
    ("integer", "uint64", 0.0, i64::MAX as f64),
    ("number", "float", f32::MIN as f64, f32::MAX as f64),
];

/// Gives a schema the bounds of its format where it sets none (exclusive bounds count).
fn bound_by_format(schema: &mut Map<String, Value>) {
    let Some(format) = schema.get("format").and_then(Value::as_str) else { return };
    let Some(types) = declared_types(schema) else { return };
    let Some(&(_, _, min, max)) = FORMAT_BOUNDS.iter().find(|(ty, f, ..)| *f == format && types.contains(ty)) else {
        return;
    };
    let integer = types.contains(&"integer");
    let number = |bound: f64| if integer { Value::from(bound as i64) } else { Value::from(bound) };
    if !schema.contains_key("minimum") && !schema.contains_key("exclusiveMinimum") {
        schema.insert("minimum".into(), number(min));
    }
    if !schema.contains_key("maximum") && !schema.contains_key("exclusiveMaximum") {
        schema.insert("maximum".into(), number(max));
    }
}

/// Keywords that only constrain strings, and `format`, which only constrains strings and
/// numbers.
const STRING_KEYWORDS: [&str; 3] = ["pattern", "minLength", "maxLength"];

/// Keywords that only constrain objects.
const OBJECT_KEYWORDS: [&str; 6] =
    ["properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties"];

/// Drops from a schema with a `type` the keywords that only apply to other types: string
/// keywords where strings are excluded (and `format` where numbers are too), object keywords
/// where objects are. They constrain nothing there, so the same values are valid, but Prism
/// follows them: its faker answers an object with a `pattern` with a string matching it, and
/// it reads a query parameter typed string with `properties` as an object it then finds
/// incomplete.
fn drop_keywords_of_other_types(schema: &mut Map<String, Value>) {
    let Some(types) = declared_types(schema) else { return };
    let allows = |wanted: &[&str]| types.iter().any(|t| wanted.contains(t));
    let (string, number, object) = (allows(&["string"]), allows(&["integer", "number"]), allows(&["object"]));
    let mut dropped: Vec<&str> = Vec::new();
    if !string {
        dropped.extend(STRING_KEYWORDS);
        if !number {
            dropped.push("format");
        }
    }
    if !object {
        dropped.extend(OBJECT_KEYWORDS);
    }
    for keyword in dropped {
        schema.remove(keyword);
    }
}

/// Declares, as allowing anything, the required properties an object schema does not describe
/// (`required: [authenticatable]` without `authenticatable` under `properties`). Prism's faker
/// only writes described properties, so every answer it made up lacked them; a server sends
/// them, and the client takes any value there.
fn declare_required_properties(schema: &mut Map<String, Value>) {
    let Some(Value::Array(required)) = schema.get("required") else { return };
    let names: Vec<String> = required.iter().filter_map(Value::as_str).map(String::from).collect();
    let is_object = schema.get("type") == Some(&Value::from("object")) || schema.contains_key("properties");
    if names.is_empty() || !is_object {
        return;
    }
    let Value::Object(properties) = schema.entry("properties").or_insert_with(|| Value::Object(Map::new())) else {
        return;
    };
    for name in names {
        properties.entry(name).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Gives an array schema without `items` the items schema that allows anything (what no
/// `items` means): Prism's faker fails on such an array ("missing items for ...") and answers
/// 500 instead of the documented response.
fn give_arrays_items(schema: &mut Map<String, Value>) {
    let is_array = declared_types(schema).is_some_and(|types| types.contains(&"array"));
    if is_array && !schema.contains_key("items") && !schema.contains_key("prefixItems") {
        schema.insert("items".into(), Value::Object(Map::new()));
    }
}

fn external_refs_as_values(mut document: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(object) => {
                let external = object.get("$ref").and_then(Value::as_str).is_some_and(|r| !r.starts_with('#'));
                if external {
                    if let Some(target) = object.remove("$ref") {
                        object.insert("x-conform-external-ref".into(), target);
                    }
                }
                object.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut document);
    document
}

/// What Prism answers (`errors#UNKNOWN`) when its random answer follows a recursive reference it
/// re-bundled to a place in `paths` its generator cannot see: the spec served with the recursion
/// cut ([`with_recursion_cut`]) avoids it.
pub const LOST_IN_RECURSION: &str = "Prop not found: paths";

/// The served spec for a Prism that did not start on it (or lost its way in it, see
/// [`LOST_IN_RECURSION`]): every `$ref` by which a schema leads
/// back to itself (a filter whose branches are any of seven filter kinds, each holding
/// branches) is replaced by the schema that allows anything, marked
/// `x-conform-recursion-cut` with the reference. Prism's start-up resolves every path through
/// such a group, which grows exponentially with the references that recur: on a 240 kB spec
/// with seven schemas that are each one another's alternatives it did not listen after
/// minutes; keeping one recurring alternative per list, it started but took over a minute per
/// request; with the recursion cut it starts in seconds and answers at once. Prism then checks
/// requests less deeply, and what it makes up below a cut is checked against the full schema
/// (an answer breaking it is Prism's, not the client's). Where a cut reference can be left out
/// without the answer breaking the full schema, it is ([`settle_cuts`]): Prism's faker writes the
/// marker itself as the value, which no client type decodes. `None` when nothing recurs.
pub fn with_recursion_cut(document: &Value) -> Option<(Value, usize)> {
    let schemas = document.pointer("/components/schemas")?.as_object()?;
    let names: Vec<&String> = schemas.keys().collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let edges: Vec<BTreeSet<usize>> = names
        .iter()
        .map(|name| {
            pointer::component_refs(&schemas[name.as_str()])
                .into_iter()
                .filter(|(section, _)| section == "schemas")
                .filter_map(|(_, target)| index.get(target.as_str()).copied())
                .collect()
        })
        .collect();
    let reach: Vec<BTreeSet<usize>> = (0..names.len()).map(|from| reachable(from, &edges)).collect();
    let mut cut = document.clone();
    let targets = cut.pointer_mut("/components/schemas")?.as_object_mut()?;
    let mut visitor = CutRecursion { index: &index, reach: &reach, from: 0, cut: 0 };
    for (from, schema) in targets.values_mut().enumerate() {
        visitor.from = from;
        walk(&mut visitor, Kind::Schema, schema, "");
    }
    let count = visitor.cut;
    settle_cuts(&mut cut);
    (count > 0).then_some((cut, count))
}

const CUT_MARKER: &str = "x-conform-recursion-cut";

/// Leaves cut references out where the full schema does not need them, so that what Prism makes
/// up below a cut still decodes: an optional property is dropped, an alternative of `oneOf` or
/// `anyOf` that has others is dropped, and so is an array whose items are cut where it is
/// optional or one alternative of others. An array whose items are cut and that must be there
/// is served empty (`maxItems: 0`): the one constraint added, since Prism also checks requests
/// against it. A schema all of whose alternatives are cut becomes a cut itself, so the rule
/// applies again one level up. A required property that leads back stays cut (no finite
/// answer has it otherwise).
fn settle_cuts(schema: &mut Value) {
    let settled = settle(schema);
    serve_empty(schema, settled);
}

/// What a schema is once its cuts are settled.
#[derive(Clone, Copy, PartialEq)]
enum Settled {
    /// Nothing in it leads back, or what did is settled inside.
    Kept,
    /// A cut reference (or one all of whose alternatives are).
    Cut,
    /// An array whose items are cut: only the empty array is finite.
    OnlyEmpty,
}

fn settle(schema: &mut Value) -> Settled {
    let Some(object) = schema.as_object_mut() else {
        if let Value::Array(items) = schema {
            items.iter_mut().for_each(settle_cuts);
        }
        return Settled::Kept;
    };
    if object.contains_key(CUT_MARKER) {
        return Settled::Cut;
    }
    let required: BTreeSet<String> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default();
    let mut outcome = Settled::Kept;
    let mut all_cut = None;
    for (key, value) in object.iter_mut() {
        match (key.as_str(), value) {
            ("oneOf" | "anyOf", Value::Array(members)) => {
                let settled: Vec<Settled> = members.iter_mut().map(settle).collect();
                if !members.is_empty() && settled.iter().all(|s| *s != Settled::Kept) {
                    all_cut = members.iter().find_map(|m| m.get(CUT_MARKER).cloned());
                    members.iter_mut().zip(&settled).for_each(|(m, s)| serve_empty(m, *s));
                } else {
                    let mut flags = settled.into_iter();
                    members.retain(|_| flags.next() == Some(Settled::Kept));
                }
            }
            ("properties", Value::Object(properties)) => {
                let mut dropped = Vec::new();
                for (name, property) in properties.iter_mut() {
                    match (settle(property), required.contains(name)) {
                        (Settled::Kept, _) => {}
                        (_, false) => dropped.push(name.clone()),
                        (settled, true) => serve_empty(property, settled),
                    }
                }
                dropped.iter().for_each(|name| {
                    properties.remove(name);
                });
            }
            ("items", items) => {
                if settle(items) != Settled::Kept {
                    outcome = Settled::OnlyEmpty;
                }
            }
            (_, value) => settle_cuts(value),
        }
    }
    if let Some(marker) = all_cut {
        object.clear();
        object.insert(CUT_MARKER.into(), marker);
        return Settled::Cut;
    }
    outcome
}

/// Serves an array that may only be empty as such, where it cannot be left out.
fn serve_empty(schema: &mut Value, settled: Settled) {
    if let (Settled::OnlyEmpty, Some(object)) = (settled, schema.as_object_mut()) {
        object.remove("minItems");
        object.insert("maxItems".into(), Value::from(0));
    }
}

struct CutRecursion<'a> {
    index: &'a BTreeMap<&'a str, usize>,
    reach: &'a [BTreeSet<usize>],
    /// The component schema being walked.
    from: usize,
    cut: usize,
}

impl Visitor for CutRecursion<'_> {
    fn visit(&mut self, _: Kind, _: &mut Map<String, Value>, _: &str) {}

    fn visit_ref(&mut self, kind: Kind, object: &mut Map<String, Value>, _: &str) {
        if kind != Kind::Schema {
            return;
        }
        let reference = object.get("$ref").and_then(Value::as_str).unwrap_or_default().to_string();
        let target = pointer::component_ref(&reference)
            .filter(|(section, _)| *section == "schemas")
            .and_then(|(_, name)| self.index.get(name.as_str()).copied());
        if target.is_some_and(|to| self.reach[to].contains(&self.from)) {
            object.clear();
            object.insert(CUT_MARKER.into(), Value::String(reference));
            self.cut += 1;
        }
    }
}

/// The schemas reachable from `from` through references (itself only when it recurs).
fn reachable(from: usize, edges: &[BTreeSet<usize>]) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<usize> = edges[from].iter().copied().collect();
    while let Some(next) = queue.pop_front() {
        if seen.insert(next) {
            queue.extend(edges[next].iter().copied());
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn array_and_framing_response_headers_are_not_served() {
        let document = json!({
            "paths": {"/": {"get": {"responses": {"200": {"headers": {
                "WWW-Authenticate": {"style": "simple", "schema": {"type": "array", "items": {"type": "string"}}},
                "X-Listed": {"$ref": "#/components/headers/Listed"},
                "X-Rate": {"schema": {"type": "integer"}},
                "Content-Length": {"schema": {"type": "integer"}},
                "Content-Type": {"schema": {"type": "string"}}
            }}}}}},
            "components": {"headers": {"Listed": {"schema": {"$ref": "#/components/schemas/Names"}}},
                "schemas": {"Names": {"type": "array"}},
                "responses": {"Page": {"headers": {"Link": {"schema": {"type": "array"}}, "X-Total": {"schema": {"type": "integer"}}}}}}
        });
        let served = servable(document);
        let headers = &served["paths"]["/"]["get"]["responses"]["200"]["headers"];
        assert_eq!(headers.as_object().unwrap().keys().collect::<Vec<_>>(), ["X-Rate"]);
        let headers = &served["components"]["responses"]["Page"]["headers"];
        assert_eq!(headers.as_object().unwrap().keys().collect::<Vec<_>>(), ["X-Total"]);
    }

    #[test]
    fn a_wildcard_body_read_as_json_is_served_as_json_but_not_a_file_or_beside_json() {
        let object = json!({"schema": {"type": "object"}});
        let file = json!({"schema": {"type": "string", "format": "binary"}});
        let document = json!({"paths": {"/": {"get": {"responses": {
            "200": {"content": {"*/*": object}},
            "201": {"content": {"*/*": file}},
            "202": {"content": {"*/*": object, "application/vnd.a+json": object}},
            "203": {"content": {"application/json": {}}},
            "204": {"content": {"application/pdf": {}}}
        }}}}});
        let served = servable(document);
        let content = |code: &str| {
            served["paths"]["/"]["get"]["responses"][code]["content"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(content("200"), ["application/json"]);
        assert_eq!(content("201"), ["*/*"]);
        assert_eq!(content("202"), ["*/*", "application/vnd.a+json"]);
        let schemaless = &served["paths"]["/"]["get"]["responses"]["203"]["content"]["application/json"];
        assert_eq!(schemaless["schema"], json!({}), "Prism makes up nothing without a schema");
        let pdf = &served["paths"]["/"]["get"]["responses"]["204"]["content"]["application/pdf"];
        assert_eq!(pdf["schema"], json!({"type": "string"}), "any text, which Prism writes as the body");
    }

    #[test]
    fn sized_numbers_get_their_formats_bounds_unless_they_set_their_own() {
        let document = json!({"components": {"schemas": {"Stats": {"properties": {
            "bytes": {"type": "integer", "format": "uint64"},
            "percent": {"type": ["integer", "null"], "format": "uint8"},
            "floor": {"type": "integer", "format": "int16", "minimum": 1},
            "ratio": {"type": "number", "format": "float"},
            "count": {"type": "integer", "format": "int64"}
        }}}}});
        let served = servable(document);
        let field = |name: &str| &served["components"]["schemas"]["Stats"]["properties"][name];
        assert_eq!((&field("bytes")["minimum"], field("bytes")["maximum"].as_i64()), (&json!(0), Some(i64::MAX)));
        assert_eq!((&field("percent")["minimum"], &field("percent")["maximum"]), (&json!(0), &json!(255)));
        assert_eq!((&field("floor")["minimum"], &field("floor")["maximum"]), (&json!(1), &json!(32767)));
        assert_eq!(field("ratio")["maximum"].as_f64(), Some(f64::from(f32::MAX)));
        assert!(field("count").get("minimum").is_none(), "an int64 is whatever the faker sends");
    }

    #[test]
    fn keywords_of_other_types_are_dropped() {
        let document = json!({"components": {"schemas": {
            "Metadata": {"type": "object", "maxLength": 500, "pattern": "[^\"]*", "format": "map"},
            "Count": {"type": "integer", "format": "int32", "pattern": "[0-9]+"},
            "Name": {"type": ["string", "null"], "maxLength": 5, "pattern": "[a-z]+"},
            "Untyped": {"pattern": "[a-z]+"},
            "Filter": {"type": "string", "properties": {"id": {"type": "string"}}, "required": ["id"]}
        }}});
        let served = servable(document);
        let keys = |name: &str| -> Vec<String> {
            let mut keys: Vec<String> =
                served["components"]["schemas"][name].as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(keys("Metadata"), ["type"]);
        assert_eq!(keys("Count"), ["format", "maximum", "minimum", "type"]);
        assert_eq!(keys("Name"), ["maxLength", "pattern", "type"]);
        assert_eq!(keys("Untyped"), ["pattern"], "without a type, a string is allowed");
        assert_eq!(keys("Filter"), ["type"]);
    }

    #[test]
    fn required_properties_left_undescribed_are_declared_as_anything() {
        let document = json!({"components": {"schemas": {
            "Connection": {"type": "object", "required": ["id", "authenticatable"], "properties": {"id": {"type": "string"}}},
            "Alternatives": {"anyOf": [{"required": ["domain"]}, {"required": ["domains"]}]}
        }}});
        let served = servable(document);
        let connection = &served["components"]["schemas"]["Connection"]["properties"];
        assert_eq!(connection["id"], json!({"type": "string"}), "a described one is kept");
        assert_eq!(connection["authenticatable"], json!({}));
        let alternatives = &served["components"]["schemas"]["Alternatives"]["anyOf"];
        assert_eq!(alternatives[0], json!({"required": ["domain"]}), "not an object schema of its own");
    }

    #[test]
    fn discriminated_alternatives_require_their_name() {
        let document = json!({"components": {"schemas": {"Body": {
            "oneOf": [{"$ref": "#/components/schemas/Password"}, {"type": "object"}],
            "discriminator": {"propertyName": "method", "mapping": {"password": "#/components/schemas/Password"}}
        }}}});
        let served = servable(document);
        let alternatives = &served["components"]["schemas"]["Body"]["oneOf"];
        assert_eq!(alternatives[0]["allOf"][0], json!({"$ref": "#/components/schemas/Password"}));
        assert_eq!(alternatives[0]["allOf"][1]["properties"]["method"], json!({"enum": ["password"]}));
        assert_eq!(alternatives[1], json!({"type": "object"}), "an inline alternative has no name");
    }

    #[test]
    fn header_parameters_openapi_ignores_are_not_served() {
        let header = |name: &str| json!({"name": name, "in": "header", "schema": {"type": "string"}});
        let document = json!({
            "paths": {"/build": {
                "parameters": [header("Accept")],
                "post": {"parameters": [header("Content-type"), {"$ref": "#/components/parameters/Auth"}, header("X-Registry"),
                    {"name": "content-type", "in": "query", "schema": {"type": "string"}}]}
            }},
            "components": {"parameters": {"Auth": header("Authorization")}}
        });
        let served = servable(document);
        assert_eq!(served["paths"]["/build"]["parameters"], json!([]));
        let names: Vec<&str> = served["paths"]["/build"]["post"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["X-Registry", "content-type"], "a query parameter of that name is not a header");
    }

    #[test]
    fn redirects_are_served_without_their_location() {
        let document = json!({
            "paths": {"/go": {"get": {"responses": {
                "302": {"$ref": "#/components/responses/Moved"},
                "201": {"description": "", "headers": {"Location": {"schema": {"type": "string"}}}}
            }}}},
            "components": {"responses": {"Moved": {"description": "", "headers": {
                "Location": {"schema": {"type": "string"}}, "X-Id": {"schema": {"type": "string"}}
            }}}}
        });
        let served = servable(document);
        let responses = &served["paths"]["/go"]["get"]["responses"];
        assert_eq!(responses["302"]["headers"], json!({"X-Id": {"schema": {"type": "string"}}}));
        assert!(responses["201"]["headers"].get("Location").is_some(), "not a redirect");
    }

    #[test]
    fn scalar_text_bodies_are_served_as_the_strings_that_spell_them() {
        let body = |media: &str, schema: Value| json!({"requestBody": {"content": {media: {"schema": schema}}}});
        let document = json!({"paths": {"/flag": {
            "put": body("text/plain", json!({"type": "boolean"})),
            "post": body("text/plain", json!({"type": "integer", "minimum": 0})),
            "patch": body("application/json", json!({"type": "boolean"})),
            "delete": body("text/plain", json!({"type": "string", "maxLength": 3}))
        }}});
        let served = servable(document);
        let schema = |method: &str, media: &str| {
            served["paths"]["/flag"][method]["requestBody"]["content"][media]["schema"].clone()
        };
        assert_eq!(schema("put", "text/plain"), json!({"type": "string", "enum": ["true", "false"]}));
        assert_eq!(schema("post", "text/plain")["pattern"], json!("^-?[0-9]+$"));
        assert_eq!(schema("patch", "application/json"), json!({"type": "boolean"}), "JSON is read as JSON");
        assert_eq!(schema("delete", "text/plain"), json!({"type": "string", "maxLength": 3}));
    }

    #[test]
    fn an_array_without_items_allows_any_items() {
        let document = json!({"components": {"schemas": {
            "Upload": {"type": "array", "maxItems": 1},
            "Tags": {"type": "array", "items": {"type": "string"}}
        }}});
        let served = servable(document);
        assert_eq!(served["components"]["schemas"]["Upload"]["items"], json!({}));
        assert_eq!(served["components"]["schemas"]["Tags"]["items"], json!({"type": "string"}));
    }

    #[test]
    fn references_that_lead_back_are_cut_and_others_stay() {
        let to = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        let document = json!({"components": {"schemas": {
            "Or": {"properties": {"branches": {"type": "array", "items": {"oneOf": [to("Or"), to("And"), to("Leaf")]}}}},
            "And": {"properties": {"branches": {"type": "array", "items": {"oneOf": [to("Or"), to("And"), to("Leaf")]}}}},
            "Leaf": {"properties": {"name": {"type": "string"}}},
            "Root": {"oneOf": [to("Or"), to("And")]}
        }}});
        let (cut, count) = with_recursion_cut(&document).expect("Or and And recur");
        let alternatives = &cut["components"]["schemas"]["Or"]["properties"]["branches"]["items"]["oneOf"];
        assert_eq!(alternatives, &json!([to("Leaf")]), "cut alternatives are left out, Leaf leads nowhere back");
        assert_eq!(cut["components"]["schemas"]["Root"]["oneOf"], json!([to("Or"), to("And")]), "Root is in no cycle");
        assert_eq!(count, 4);
        let plain = json!({"components": {"schemas": {"A": {"oneOf": [to("B")]}, "B": {}}}});
        assert!(with_recursion_cut(&plain).is_none());
    }

    #[test]
    fn cuts_are_left_out_where_the_schema_allows() {
        let to = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        let document = json!({"components": {"schemas": {
            "Folder": {"required": ["parent", "children"], "properties": {
                "children": {"type": "array", "minItems": 1, "items": to("Folder")},
                "sibling": to("Folder"),
                "parent": to("Folder"),
                "either": {"oneOf": [to("Folder"), {"type": "string"}]},
                "only": {"type": "array", "items": {"anyOf": [to("Folder")]}},
                "list": {"oneOf": [{"type": "array", "items": to("Folder")}, {"type": "string"}]}
            }}
        }}});
        let (cut, _) = with_recursion_cut(&document).expect("Folder recurs");
        let properties = &cut["components"]["schemas"]["Folder"]["properties"];
        let marker = json!({"x-conform-recursion-cut": "#/components/schemas/Folder"});
        assert_eq!(
            properties["children"],
            json!({"type": "array", "maxItems": 0, "items": marker}),
            "required: served empty"
        );
        assert!(properties.get("sibling").is_none(), "an optional property is left out");
        assert!(properties.get("only").is_none(), "an optional array of cut items is left out");
        assert_eq!(properties["parent"], marker, "a required property stays cut");
        assert_eq!(properties["either"], json!({"oneOf": [{"type": "string"}]}));
        assert_eq!(properties["list"], json!({"oneOf": [{"type": "string"}]}), "an alternative that may only be empty");
    }
}
