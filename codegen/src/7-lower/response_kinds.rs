//! One kind of response per side of an operation, as progenitor requires.
//!
//! progenitor sorts each response into a kind (a JSON type, raw bytes for any other media type,
//! nothing for no content, an upgrade for a 101) and asserts that the successes share one kind
//! and the errors share one kind; otherwise the operation is lost. [`super::successes`] and
//! [`super::errors`] unify JSON bodies; this rule settles what is left, without losing a status:
//! - successes with no JSON body but of mixed kinds (a text 200 beside a bodiless 204) all
//!   become raw bytes, which is what the wire carries: an empty body is zero bytes. So do JSON
//!   successes beside a raw one (a JSON 200 beside a PDF 206): one JSON type cannot hold the
//!   PDF, and a success returned as an error would break the status; the JSON is still there to
//!   decode from the bytes. A 101 is an
//!   upgrade to progenitor whatever its content, so beside other successes it is left to the
//!   client's "unexpected response" (which keeps the connection's response whole);
//! - errors of mixed kinds keep the JSON ones; the others are left to the client's "unexpected
//!   response", which keeps their status, headers and body. Errors with only raw bodies (text,
//!   a stream) are left to it too: an error typed as a byte stream cannot be printed or kept,
//!   and the unexpected response holds the same bytes.

use serde_json::{json, Map, Value};

use crate::model::pointer;
use crate::model::walk::is_operation_key;
use crate::report::{Change, Rule, Stage};

/// What progenitor makes of a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    None,
    Upgrade,
    Raw,
    Json,
}

fn kind_of(status: &str, response: &Value) -> Kind {
    let content = response.get("content").and_then(Value::as_object);
    let json = content.is_some_and(|c| c.keys().any(|m| m == "application/json" || m.starts_with("application/json;")));
    if json {
        Kind::Json
    } else if status == "101" {
        Kind::Upgrade
    } else if content.is_some_and(|c| !c.is_empty()) {
        Kind::Raw
    } else {
        Kind::None
    }
}

/// Which side progenitor puts a status on: `Some(true)` for a success, `Some(false)` for an
/// error, `None` for what it matches on neither (1xx but 101, 3xx: the unexpected response).
fn side_of(status: &str) -> Option<bool> {
    if status == "101" || status.starts_with('2') {
        Some(true)
    } else if status == "default" || status.starts_with('4') || status.starts_with('5') {
        Some(false)
    } else {
        None
    }
}

/// Settles the response kinds of every operation of `document`.
pub fn unify_response_kinds(document: &mut Value, changes: &mut Vec<Change>) {
    super::with_paths_apart(document, |paths, root| {
        let Some(Value::Object(paths)) = paths.get_mut("paths") else { return };
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (method, operation) in item.iter_mut().filter(|(m, _)| is_operation_key(m)) {
                let Some(Value::Object(responses)) = operation.get_mut("responses") else { continue };
                let at = pointer::child(&pointer::child(&pointer::child("/paths", path), method), "responses");
                settle(responses, root, &at, changes);
            }
        }
    });
}

fn settle(responses: &mut Map<String, Value>, root: &Value, at: &str, changes: &mut Vec<Change>) {
    let kinds: Vec<(String, bool, Kind)> = responses
        .iter()
        .filter(|(status, _)| !status.starts_with("x-"))
        .filter_map(|(status, response)| {
            Some((status.clone(), side_of(status)?, kind_of(status, pointer::resolve(response, root))))
        })
        .collect();
    for success in [true, false] {
        let side: Vec<&(String, bool, Kind)> = kinds.iter().filter(|(_, s, _)| *s == success).collect();
        let Some(best) = side.iter().map(|(_, _, k)| *k).max() else { continue };
        let raw_errors = !success && best == Kind::Raw;
        if side.iter().all(|(_, _, k)| *k == best) && !raw_errors {
            continue;
        }
        // The kind kept: JSON where there is some (and, for successes, no raw body beside it);
        // other successes all become raw bytes; `None` keeps no error at all (each goes to the
        // unexpected response).
        let raw_beside = side.iter().any(|(_, _, k)| *k == Kind::Raw);
        let target = match (success, best) {
            (true, Kind::Json) if raw_beside => Some(Kind::Raw),
            (_, Kind::Json) => Some(Kind::Json),
            (true, _) => Some(Kind::Raw),
            (false, _) => None,
        };
        for (status, _, kind) in side.iter().filter(|(_, _, k)| Some(*k) != target) {
            let here = pointer::child(at, status);
            if success && target == Some(Kind::Raw) && status != "101" {
                let Some(response) = responses.get_mut(status.as_str()) else { continue };
                let mut inlined = pointer::resolve(response, root).clone();
                inlined["content"] =
                    json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } });
                *response = inlined;
                changes.push(
                    Change::new(Stage::Lower, Rule::ResponseKindsUnified, here)
                        .note(format!("{kind:?} beside other successes: read as raw bytes, like them")),
                );
            } else if !success || status == "101" {
                let before = responses.remove(status.as_str());
                changes.push(
                    Change::new(Stage::Lower, Rule::ResponseKindsUnified, here)
                        .values(before, None)
                        .note(if success {
                            "an upgrade beside other successes: returned as an unexpected response with its status, headers and body"
                        } else {
                            "an error of another kind than the operation's other errors: returned as an unexpected response with its status, headers and body"
                        }),
                );
            }
        }
    }
}
