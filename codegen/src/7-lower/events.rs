//! An event stream's schema is the schema of each event's `data`: that is what the client
//! decodes as each event arrives. Specs often describe the envelope instead, the SSE fields as
//! an object (`{event: string, data: Chunk}`, OpenAPI 3.2's `itemSchema` does so by design,
//! with the data's JSON in `contentSchema`): decoding the data as the envelope fails on every
//! event. Such a schema is replaced by its `data` property's (its `contentSchema` when it has
//! one). A union of envelopes each naming its `event` (`const` or a one-value `enum`) becomes one
//! variant per name, `{<name>: <data>}`, marked [`NAMED_EVENTS`]: the client decodes each event's
//! data under its name, so the event field, not the data's shape, chooses the type.
//!
//! An envelope is an object schema with a `data` property and no property but `event`, `data`,
//! `id` and `retry`, the fields of the event stream format. Data that really is such an object
//! still decodes: the client falls back to the data's own `data` member.

use serde_json::{json, Map, Value};

use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// The media type extension that lists the event names when the stream's schema is one variant
/// per name.
pub const NAMED_EVENTS: &str = "x-codegen-named-events";

/// The fields of the event stream format.
const EVENT_FIELDS: [&str; 4] = ["event", "data", "id", "retry"];

/// What one envelope says: the schema of its data and the event name it is for.
struct Envelope {
    data: Value,
    name: Option<String>,
}

/// `schema` (resolved in `root`) as an envelope, when it is one.
fn envelope(schema: &Value, root: &Value) -> Option<Envelope> {
    let schema = pointer::resolve(schema, root);
    let properties = schema.get("properties")?.as_object()?;
    let shaped = properties.keys().all(|k| EVENT_FIELDS.contains(&k.as_str()));
    let typed = schema.get("type").is_none_or(|t| t == "object");
    if !shaped || !typed {
        return None;
    }
    let data = pointer::resolve(properties.get("data")?, root);
    let data = match data.get("contentSchema") {
        Some(content) => content.clone(),
        // A string documented as JSON, without its schema: any JSON.
        None if data.get("contentMediaType").and_then(Value::as_str).is_some_and(|m| m.contains("json")) => json!({}),
        None => properties.get("data").cloned().unwrap_or_default(),
    };
    let event = properties.get("event").map(|e| pointer::resolve(e, root));
    let name = event.and_then(|event| {
        let one = match event.get("enum").and_then(Value::as_array) {
            Some(values) if values.len() == 1 => values.first(),
            _ => event.get("const"),
        };
        one.and_then(Value::as_str).map(str::to_string)
    });
    Some(Envelope { data, name })
}

/// The data schema that replaces the event stream schema `schema`, and whether it is one
/// variant per event name; `None` when `schema` is no envelope.
fn unwrapped(schema: &Value, root: &Value) -> Option<(Value, Option<Vec<String>>)> {
    let resolved = pointer::resolve(schema, root);
    let members = resolved.get("oneOf").or_else(|| resolved.get("anyOf")).and_then(Value::as_array);
    let Some(members) = members else { return envelope(schema, root).map(|e| (e.data, None)) };
    let envelopes: Vec<Envelope> = members.iter().map(|m| envelope(m, root)).collect::<Option<_>>()?;
    let names: Vec<String> = envelopes.iter().filter_map(|e| e.name.clone()).collect();
    let mut distinct = names.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() == envelopes.len() && !envelopes.is_empty() {
        let variants: Vec<Value> = envelopes
            .into_iter()
            .map(|e| {
                let name = e.name.unwrap_or_default();
                json!({"type": "object", "required": [name], "additionalProperties": false, "properties": {name: e.data}})
            })
            .collect();
        return Some((json!({"oneOf": variants}), Some(names)));
    }
    Some((json!({"oneOf": envelopes.into_iter().map(|e| e.data).collect::<Vec<_>>()}), None))
}

struct Envelopes<'a> {
    root: &'a Value,
    changes: &'a mut Vec<Change>,
}

impl Visitor for Envelopes<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if kind != Kind::MediaType {
            return;
        }
        let media_type = pointer::unescape(at.rsplit('/').next().unwrap_or_default());
        if crate::model::streams::stream_kind(&media_type) != Some(crate::model::streams::StreamKind::Events) {
            return;
        }
        let Some((data, named)) = object.get("schema").and_then(|schema| unwrapped(schema, self.root)) else { return };
        let before = object.insert("schema".into(), data.clone());
        let note = match named.is_some() {
            true => "the schema describes each event's envelope; its data is decoded by the event's name",
            false => "the schema describes each event's envelope; each event's data is read as its `data`",
        };
        self.changes.push(
            Change::new(Stage::Lower, Rule::EventEnvelopeUnwrapped, pointer::child(at, "schema"))
                .values(before, Some(data))
                .note(note),
        );
        if let Some(names) = named {
            object.insert(NAMED_EVENTS.into(), Value::from(names));
        }
    }
}

/// Whether a response of `document` documents an event stream (most documents have none, and
/// need no copy to resolve references in).
fn has_event_stream(document: &Value) -> bool {
    let events = |response: &Value| {
        let content = response.get("content").and_then(Value::as_object).into_iter().flat_map(|c| c.keys());
        content
            .map(|m| crate::model::streams::stream_kind(m))
            .any(|k| k == Some(crate::model::streams::StreamKind::Events))
    };
    let operations = document.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values());
    let responses = operations
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|operation| operation.get("responses")?.as_object())
        .flat_map(|responses| responses.values());
    let shared =
        document.pointer("/components/responses").and_then(Value::as_object).into_iter().flat_map(|r| r.values());
    responses.chain(shared).any(events)
}

/// Replaces every event stream schema that describes the envelope by the schema of its data.
pub fn unwrap_event_envelopes(document: &mut Value, changes: &mut Vec<Change>) {
    if !has_event_stream(document) {
        return;
    }
    let root = document.clone();
    walk(&mut Envelopes { root: &root, changes }, Kind::Document, document, "");
}
