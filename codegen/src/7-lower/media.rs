//! One media type per body: the JSON one.
//!
//! ASP.NET specs list `application/json`, `text/json`, `application/*+json` and more for one
//! body. They describe the same schema; the generated client speaks JSON, so the JSON media type
//! is kept and the others dropped. A JSON type other than `application/json` (`text/json`,
//! `application/problem+json`) is handed to the generator as `application/json`, the one spelling
//! it decodes. `application/json+encrypted` is not JSON (its suffix is `+encrypted`). A wildcard
//! with a schema (`*/*`) is read as JSON when nothing more specific is offered, unless the schema
//! is binary: then the body is bytes.
//!
//! No media type is lost: what is not kept stays reachable. A response's other media types
//! (`text/csv` beside JSON) are listed in [`OTHER_MEDIA`], read by the client's
//! `send_<media>()` methods; a request body's are listed in [`BODY_ALTERNATIVES`] (a form sent
//! as the JSON body's type, or bytes with their `Content-Type`), the multipart form in
//! [`crate::lower::bodies::FORM_ALTERNATIVE`]; streamed media types stay in the content.
//!
//! A response's documented JSON media type is kept in [`ACCEPT`] when it is not
//! `application/json` itself, so the client asks for what the server documents
//! (`application/vnd.acme+json`; JSON first, then the wildcard, for `*/*`): a server that only
//! serves its documented type answers `406 Not Acceptable` to `Accept: application/json`.

use serde_json::{Map, Value};

use crate::model::pointer;
use crate::model::walk::{walk, Kind, Visitor};
use crate::report::{Change, Rule, Stage};

/// How JSON a media type is: lower is better; `None` is not JSON.
fn json_rank(media_type: &str) -> Option<u8> {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" if essence.len() == media_type.trim().len() => Some(0),
        "application/json" => Some(1),
        e if e.ends_with("+json") => Some(2),
        "text/json" => Some(3),
        _ => None,
    }
}

/// Non-JSON media types the generator handles, best first.
const NON_JSON_PREFERENCE: [&str; 3] = ["application/x-www-form-urlencoded", "application/octet-stream", "text/plain"];

/// The response extension that keeps the documented JSON media type.
pub const ACCEPT: &str = "x-codegen-accept";

/// The response extension listing the media types documented beside the one kept (not JSON
/// spellings of it, not wildcards, not streams): each is reachable as bytes by its own method.
pub const OTHER_MEDIA: &str = "x-codegen-other-media";

/// The request body extension listing the media types documented beside the one kept, each
/// `{mediaType, sameSchema}`: reachable through an alternative of the operation.
pub const BODY_ALTERNATIVES: &str = "x-codegen-body-alternatives";

/// Whether `media_type` is one the client reads or sends on its own terms (a JSON spelling, a
/// wildcard, a stream), so that it needs no alternative when another is kept.
fn needs_no_alternative(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    json_rank(media_type).is_some()
        || essence.contains('*')
        || crate::model::streams::stream_kind(media_type).is_some()
        || !essence.contains('/')
}

/// What a client reading `media_type` as JSON sends in `Accept`, when not `application/json`.
fn accept_for(media_type: &str) -> Option<String> {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => None,
        "*/*" | "application/*" => Some(format!("application/json, {essence};q=0.8")),
        _ if media_type.bytes().all(|b| b.is_ascii_graphic() || b == b' ') => Some(media_type.trim().to_string()),
        _ => None,
    }
}

/// Whether a body under the wildcard `media_type` is read as JSON (when nothing more specific is
/// offered). A wildcard (`*/*`, `application/*`) with a schema is the last resort: converters
/// from Swagger 2 write it for what is, in practice, a JSON body. Not when the schema says bytes
/// (`type: string, format: binary`): a downloaded file is no JSON string.
pub fn wildcard_read_as_json(media_type: &str, media: &Value) -> bool {
    matches!(media_type.split(';').next().unwrap_or("").trim(), "*/*" | "application/*")
        && media.get("schema").is_some_and(|schema| schema.get("format") != Some(&Value::from("binary")))
}

struct ChooseJson<'a> {
    changes: &'a mut Vec<Change>,
}

impl Visitor for ChooseJson<'_> {
    fn visit(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &str) {
        if !matches!(kind, Kind::RequestBody | Kind::Response) {
            return;
        }
        let Some(Value::Object(content)) = object.get_mut("content") else { return };
        // A response's streamed media types (events, JSON lines) stay beside the one chosen below:
        // the client reads them with a streaming method of their own.
        let mut streams = Map::new();
        if kind == Kind::Response {
            let streamed: Vec<String> =
                content.keys().filter(|k| crate::model::streams::stream_kind(k).is_some()).cloned().collect();
            for media_type in streamed {
                if let Some(media) = content.shift_remove(&media_type) {
                    streams.insert(media_type, media);
                }
            }
        }
        // A form documented beside JSON stays reachable as the operation's multipart alternative.
        let form = (kind == Kind::RequestBody)
            .then(|| {
                content.iter().find_map(|(media_type, media)| {
                    let multipart = media_type
                        .split(';')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .eq_ignore_ascii_case("multipart/form-data");
                    multipart.then(|| media.get("schema").cloned()).flatten()
                })
            })
            .flatten();
        let documented: Vec<(String, Option<Value>)> =
            content.iter().map(|(media_type, media)| (media_type.clone(), media.get("schema").cloned())).collect();
        let accept = self.choose(kind, content, at);
        let kept_schema = content.values().next().and_then(|media| media.get("schema")).cloned();
        let multipart = |media_type: &String| media_type.to_ascii_lowercase().starts_with("multipart/form-data");
        let form_alternative = form.is_some() && !content.keys().any(multipart);
        // An error's other media types are not asked for: the error is read as documented.
        let error_status = kind == Kind::Response && at.rsplit('/').next().is_some_and(|s| s.starts_with(['4', '5']));
        let dropped: Vec<(String, Option<Value>)> = documented
            .into_iter()
            .filter(|(media_type, _)| !content.contains_key(media_type) && !needs_no_alternative(media_type))
            .filter(|(media_type, _)| !(form_alternative && multipart(media_type)))
            .collect();
        let mut listed = None;
        if !dropped.is_empty() && !error_status {
            let names: Vec<Value> = dropped.iter().map(|(media_type, _)| Value::String(media_type.clone())).collect();
            let (extension, value, note) = match kind {
                Kind::Response => (
                    OTHER_MEDIA,
                    Value::Array(names.clone()),
                    "kept beside the answer read whole: the client reads each with a `send_<media>()` method",
                ),
                _ => (
                    BODY_ALTERNATIVES,
                    Value::Array(
                        dropped
                            .iter()
                            .map(|(media_type, schema)| {
                                serde_json::json!({
                                    "mediaType": media_type,
                                    "sameSchema": schema.is_some() && *schema == kept_schema,
                                })
                            })
                            .collect(),
                    ),
                    "kept as alternatives of the operation: the client sends each with a method of its own",
                ),
            };
            self.changes.push(
                Change::new(Stage::Lower, Rule::MediaTypeChosen, pointer::child(at, "content"))
                    .values(None, Some(Value::Array(names)))
                    .note(note),
            );
            listed = Some((extension, value));
        }
        if !streams.is_empty() && !content.is_empty() {
            let kept: Vec<Value> = streams.keys().cloned().map(Value::String).collect();
            self.changes.push(
                Change::new(Stage::Lower, Rule::MediaTypeChosen, pointer::child(at, "content"))
                    .values(None, Some(Value::Array(kept)))
                    .note("kept beside the answer read whole: the client streams it with a method of its own"),
            );
        }
        content.extend(streams);
        if let Some(form) = form.filter(|_| form_alternative) {
            self.changes.push(
                Change::new(Stage::Lower, Rule::MediaTypeChosen, pointer::child(at, "content"))
                    .values(None, Some(Value::Array(vec![Value::String("multipart/form-data".into())])))
                    .note(
                        "the form is kept as the operation's alternative: the client's `<method>_multipart()` sends it",
                    ),
            );
            object.insert(crate::lower::bodies::FORM_ALTERNATIVE.into(), form);
        }
        if let Some(accept) = accept {
            object.insert(ACCEPT.into(), Value::String(accept));
        }
        if let Some((extension, value)) = listed {
            object.insert(extension.into(), value);
        }
    }
}

impl ChooseJson<'_> {
    /// Keeps one media type of `content`; the `Accept` a response's JSON is asked for with, when
    /// it is not `application/json`.
    fn choose(&mut self, kind: Kind, content: &mut Map<String, Value>, at: &str) -> Option<String> {
        let best = content
            .iter()
            .filter_map(|(k, media)| {
                Some((json_rank(k).or_else(|| wildcard_read_as_json(k, media).then_some(4))?, k.clone()))
            })
            .min()
            .map(|(_, k)| k);
        let Some(best) = best else {
            // No JSON at all: one body the generator can send or read as it is (form, bytes,
            // text), so that several alternatives do not make it give up on the operation.
            // Otherwise the first documented one (`application/pkix-cert` before
            // `application/x-pem-file`), passed as bytes with its own `Content-Type`.
            if content.len() > 1 {
                let preferred = NON_JSON_PREFERENCE.iter().find(|m| content.contains_key(**m)).map(|m| m.to_string());
                let first = content.keys().next().cloned();
                if let Some(kept) = preferred.clone().or(first) {
                    let before = Value::Array(content.keys().cloned().map(Value::String).collect());
                    content.retain(|k, _| *k == kept);
                    let why = if preferred.is_some() { "which the generator supports" } else { "the first documented" };
                    self.changes.push(
                        Change::new(Stage::Lower, Rule::MediaTypeChosen, pointer::child(at, "content"))
                            .values(Some(before), Some(Value::Array(vec![Value::String(kept.clone())])))
                            .note(format!("no JSON media type; kept {kept}, {why}")),
                    );
                }
            }
            return None;
        };
        if content.len() == 1 && best == "application/json" {
            return None;
        }
        let before = Value::Array(content.keys().cloned().map(Value::String).collect());
        let media = content.shift_remove(&best).expect("chosen from the keys");
        content.clear();
        content.insert("application/json".into(), media);
        self.changes.push(
            Change::new(Stage::Lower, Rule::MediaTypeChosen, pointer::child(at, "content"))
                .values(Some(before), Some(Value::Array(vec![Value::String("application/json".into())])))
                .note(format!("kept {best}, the JSON media type")),
        );
        accept_for(&best).filter(|_| kind == Kind::Response)
    }
}

/// Reduces the content of every request body and response to its JSON media type.
pub fn choose_json_media_types(document: &mut Value, changes: &mut Vec<Change>) {
    walk(&mut ChooseJson { changes }, Kind::Document, document, "");
}
