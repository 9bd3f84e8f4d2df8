//! Bodies in the shapes progenitor accepts, without changing what goes over the wire.
//!
//! - A JSON media type without a schema says "some JSON": it gets the schema `{}` (any value),
//!   which progenitor otherwise stops on (`todo!("media type encoding, no schema")`).
//! - progenitor takes an `application/octet-stream` body only as `{type: string, format: binary}`
//!   and a text body only as a plain `{type: string}`; other schemas there (limits, a format, a
//!   `$ref`) describe the same bytes or text, so the schema is replaced by the accepted one.
//! - A textual request body progenitor has no support for (`text/xml`, `application/xml`,
//!   `*/*+xml`, `text/csv`) is handed to it as `text/plain`, and its real media type is kept in
//!   `x-content-type`: the generated client sends that `Content-Type` (the plan reads it: `body_content_type`).
//! - progenitor stops on any `encoding` (`todo!("media type encoding not empty")`). On a JSON
//!   body it means nothing (OpenAPI applies it only to form bodies), and on a form body one that
//!   restates the defaults (`style: form`, `explode: true`) changes nothing: both are dropped.
//!   A form body whose encoding does change the wire (`deepObject` members, as Stripe's) cannot be
//!   typed faithfully, since the generated code encodes forms flat, so it is passed as text like
//!   XML and the caller encodes it (`serde_qs` writes `deepObject`).
//! - progenitor cannot send `multipart/form-data` at all. Such a body is passed as a
//!   `reqwest::Body` the caller builds with the typed form generated from its schema (kept in
//!   `x-codegen-form`), or with the runtime's `Multipart`, and sent with
//!   `multipart/form-data; boundary=` the runtime's boundary.
//! - Any other request media type progenitor cannot send (YAML, JWT, NDJSON, ZIP, a misspelt
//!   one) is passed as bytes, which a `String` also converts into, and sent with its real
//!   `Content-Type`.

use serde_json::{json, Map, Value};

use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// The extension holding a request body's real media type when it is sent as text.
pub const CONTENT_TYPE: &str = "x-content-type";

/// The extension holding a `multipart/form-data` body's schema (its parts), which lowering
/// replaces by bytes: the plan reads it to emit a typed form ([`crate::plan::FormPlan`]).
pub const FORM_SCHEMA: &str = "x-codegen-form";

/// The extension holding the `multipart/form-data` schema of a body that also documents JSON:
/// the JSON body is the operation's, the form its alternative (`<method>_multipart()`), so both
/// stay reachable ([`crate::lower::media`] sets it, the plan reads it).
pub const FORM_ALTERNATIVE: &str = "x-codegen-form-alternative";

/// The boundary of every `multipart/form-data` body the runtime's `Multipart` builds, fixed so
/// that the Content-Type an operation sends can be written into the client beside it. It is
/// the runtime's `Multipart::BOUNDARY` (`codegen/runtime/src/multipart.rs`); a test keeps the
/// two equal.
pub const MULTIPART_BOUNDARY: &str = "codegen-form-boundary-6b1f0e4d9a2c57e3";

fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

const FORM: &str = "application/x-www-form-urlencoded";

/// Whether a media type object's `encoding` changes nothing on the wire: every entry only
/// restates the form defaults.
fn encoding_is_default(media: &Value) -> bool {
    media.get("encoding").and_then(Value::as_object).is_none_or(|encoding| {
        encoding.values().all(|entry| {
            entry.as_object().is_some_and(|entry| {
                entry.iter().all(|(key, value)| match key.as_str() {
                    "style" => value == "form",
                    "explode" => value == &Value::Bool(true),
                    _ => key.starts_with("x-"),
                })
            })
        })
    })
}

fn is_textual(media_type: &str) -> bool {
    let e = essence(media_type);
    (e.starts_with("text/") && e != "text/plain" && e != "text/x-markdown")
        || e == "application/xml"
        || e.ends_with("+xml")
}

/// How a lone request body progenitor cannot send as documented is handed to it instead.
struct Passing {
    rule: Rule,
    /// The media type progenitor sees, and its schema.
    media: &'static str,
    schema: Value,
    /// What the report gives as the new media type.
    reported: String,
    /// The Content-Type the client really sends.
    sent: String,
    note: String,
}

/// The way to pass a body of media type `original` (with `content`, its one entry), or `None`
/// when progenitor can send it as documented.
fn passing(original: &str, content: &Map<String, Value>) -> Option<Passing> {
    let e = essence(original);
    let bytes = || json!({ "type": "string", "format": "binary" });
    if e == "multipart/form-data" {
        let fields: Vec<String> = content
            .values()
            .filter_map(|m| m.pointer("/schema/properties")?.as_object().map(|p| p.keys().cloned().collect::<Vec<_>>()))
            .flatten()
            .collect();
        let sent = format!("multipart/form-data; boundary={}", MULTIPART_BOUNDARY);
        let fields = if fields.is_empty() { String::new() } else { format!(" (fields: {})", fields.join(", ")) };
        return Some(Passing {
            rule: Rule::BodySentAsMultipart,
            media: "application/octet-stream",
            schema: bytes(),
            reported: sent.clone(),
            sent,
            note: format!("build the body with the typed form in the module's `forms` (or runtime::Multipart){fields}"),
        });
    }
    let encoded_form = e == FORM && content.values().any(|m| !encoding_is_default(m));
    if is_textual(original) || encoded_form {
        let note = if encoded_form {
            format!("its `encoding` is not flat, so the caller encodes the form; sent with Content-Type: {original}")
        } else {
            format!("the body is passed as text and sent with Content-Type: {original}")
        };
        let schema = json!({ "type": "string" });
        return Some(Passing {
            rule: Rule::BodySentAsText,
            media: "text/plain",
            schema,
            reported: "text/plain".into(),
            sent: original.into(),
            note,
        });
    }
    let sendable = ["application/octet-stream", "application/json", FORM, "text/plain", "text/x-markdown"];
    // `+json` is JSON; `application/x-ndjson` and `application/jsonl` are lines of it, which
    // progenitor cannot send.
    if sendable.contains(&e.as_str()) || e.ends_with("+json") {
        return None;
    }
    Some(Passing {
        rule: Rule::BodySentAsBytes,
        media: "application/octet-stream",
        schema: bytes(),
        reported: "application/octet-stream".into(),
        sent: original.into(),
        note: format!("the body is passed as bytes (or a String) and sent with Content-Type: {original}"),
    })
}

struct FitBodies<'a> {
    changes: &'a mut Vec<Change>,
}

impl FitBodies<'_> {
    fn fit(&mut self, media: &mut Value, schema: Value, at: &str, why: &str) {
        let before = media.get("schema").cloned();
        if before.as_ref() == Some(&schema) {
            return;
        }
        media["schema"] = schema.clone();
        self.changes.push(
            Change::new(Stage::Lower, Rule::BodySchemaFitted, pointer::child(at, "schema"))
                .values(before, Some(schema))
                .note(why),
        );
    }
}

impl Visitor for FitBodies<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if !matches!(kind, Kind::RequestBody | Kind::Response) {
            return;
        }
        let Some(Value::Object(content)) = object.get_mut("content") else { return };
        let content_at = pointer::child(at, "content");
        if kind == Kind::RequestBody && content.len() == 1 {
            let original = content.keys().next().cloned().unwrap_or_default();
            if let Some(passing) = passing(&original, content) {
                // The parts of a form, for the typed form the generated client offers.
                let form = (passing.rule == Rule::BodySentAsMultipart)
                    .then(|| content.values().next().and_then(|m| m.get("schema")).cloned())
                    .flatten();
                content.clear();
                content.insert(passing.media.into(), json!({ "schema": passing.schema }));
                self.changes.push(
                    Change::new(Stage::Lower, passing.rule, content_at.clone())
                        .values(Some(json!([original])), Some(json!([passing.reported])))
                        .note(passing.note),
                );
                object.insert(CONTENT_TYPE.into(), Value::String(passing.sent));
                if let Some(form) = form {
                    object.insert(FORM_SCHEMA.into(), form);
                }
                return;
            }
        }
        for (media_type, media) in content.iter_mut() {
            let here = pointer::child(&content_at, media_type);
            let droppable = match essence(media_type).as_str() {
                "application/json" => true,
                FORM => encoding_is_default(media),
                _ => false,
            };
            if kind == Kind::RequestBody && droppable && media.get("encoding").is_some() {
                let before = media.as_object_mut().and_then(|m| m.remove("encoding"));
                self.changes.push(
                    Change::new(Stage::Lower, Rule::BodySchemaFitted, pointer::child(&here, "encoding"))
                        .values(before, None)
                        .note("an `encoding` that changes nothing on the wire (JSON, or form defaults) is dropped"),
                );
            }
            match (essence(media_type).as_str(), kind) {
                ("application/json", _) if media.get("schema").is_none() => {
                    self.fit(media, json!({}), &here, "no schema: any JSON value");
                }
                ("application/octet-stream", Kind::RequestBody) => {
                    self.fit(
                        media,
                        json!({ "type": "string", "format": "binary" }),
                        &here,
                        "an octet-stream body is bytes",
                    );
                }
                ("text/plain" | "text/x-markdown", Kind::RequestBody) => {
                    self.fit(media, json!({ "type": "string" }), &here, "a text body is a string");
                }
                _ => {}
            }
        }
    }
}

/// Fits every request body and response body of `document` to what progenitor accepts.
pub fn fit_bodies(document: &mut Value, changes: &mut Vec<Change>) {
    walk(&mut FitBodies { changes }, Kind::Document, document, "");
}
