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

/// The normalized spec as Prism can serve it:
/// - `$ref`s to other files that the bundler leaves inside `x-` extensions (code samples in
///   `.ts` files, webhook responses) are turned into plain values, because Prism resolves every
///   `$ref` and stops at the first it cannot read;
/// - response headers whose schema is an array are left out: Prism checks the response it
///   makes up, finds no value for such a header and crashes splitting it (`Cannot read
///   properties of null (reading 'split')`), on every call of the operation. The client reads
///   no typed response header, so nothing it is checked on is lost;
/// - a response body under a wildcard media type that the client reads as JSON
///   ([`wildcard_read_as_json`]) is served as `application/json`: Prism will not serialize an
///   object for `*/*` (`NO_COMPLEX_OBJECT_TEXT`), a real server sends JSON;
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
                drop_array_headers(object, self.original);
                if let Some(Value::Object(content)) = object.get_mut("content") {
                    serve_wildcard_as_json(content);
                    content
                        .iter_mut()
                        .filter(|(media_type, media)| media_type.contains("json") && media.get("schema").is_none())
                        .filter_map(|(_, media)| media.as_object_mut())
                        .for_each(|media| {
                            media.insert("schema".into(), Value::Object(Map::new()));
                        });
                }
            }
            Kind::Schema => {
                bound_by_format(object);
                drop_keywords_of_other_types(object);
                declare_required_properties(object);
                give_arrays_items(object);
            }
            _ => {}
        }
    }
}

/// Leaves out of a response the headers (or `$ref`s to them) whose schema is an array.
fn drop_array_headers(response: &mut Map<String, Value>, document: &Value) {
    let is_array = |header: &Value| {
        let schema = pointer::resolve(header, document).get("schema").map(|s| pointer::resolve(s, document));
        schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("array")
    };
    if let Some(Value::Object(headers)) = response.get_mut("headers") {
        headers.retain(|_, header| !is_array(header));
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
/// (an answer breaking it is Prism's, not the client's). `None` when nothing recurs.
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
    (count > 0).then_some((cut, count))
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
            object.insert("x-conform-recursion-cut".into(), Value::String(reference));
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
    fn array_response_headers_are_not_served() {
        let document = json!({
            "paths": {"/": {"get": {"responses": {"200": {"headers": {
                "WWW-Authenticate": {"style": "simple", "schema": {"type": "array", "items": {"type": "string"}}},
                "X-Listed": {"$ref": "#/components/headers/Listed"},
                "X-Rate": {"schema": {"type": "integer"}}
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
            "203": {"content": {"application/json": {}}}
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
        let marker = json!({"x-conform-recursion-cut": "#/components/schemas/Or"});
        assert_eq!(alternatives[0], marker);
        assert_eq!(alternatives[2], to("Leaf"), "Leaf leads nowhere back");
        assert_eq!(cut["components"]["schemas"]["Root"]["oneOf"], json!([to("Or"), to("And")]), "Root is in no cycle");
        assert_eq!(count, 4);
        let plain = json!({"components": {"schemas": {"A": {"oneOf": [to("B")]}, "B": {}}}});
        assert!(with_recursion_cut(&plain).is_none());
    }
}
