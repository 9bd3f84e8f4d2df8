//! Descriptions, summaries and titles become Rust doc comments, where rustc refuses a bare
//! carriage return ("bare CR not allowed in doc-comment"). Windows (`\r\n`) and old Mac (`\r`)
//! line endings are turned into `\n`; the text is otherwise untouched.

use serde_json::Value;

use crate::model::keys::Holds;
use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

const DOC_KEYWORDS: [&str; 3] = ["description", "summary", "title"];

/// Normalizes the line endings of every description, summary and title in `document`.
pub fn fit_doc_text(document: &mut Value, changes: &mut Vec<Change>) {
    fit(document, "", Holds::Keywords, changes);
}

fn fit(value: &mut Value, at: &str, holds: Holds, changes: &mut Vec<Change>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                let inner = holds.child(key, child);
                if !inner.is_structure() {
                    continue;
                }
                let here = pointer::child(at, key);
                match child {
                    Value::String(text) if DOC_KEYWORDS.contains(&key.as_str()) && text.contains('\r') => {
                        *text = text.replace("\r\n", "\n").replace('\r', "\n");
                        changes.push(
                            Change::new(Stage::Lower, Rule::DocTextFitted, here)
                                .note("carriage returns turned into newlines (rustc refuses them in doc comments)"),
                        );
                    }
                    _ => fit(child, &here, inner, changes),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                fit(item, &format!("{at}/{index}"), holds, changes);
            }
        }
        _ => {}
    }
}
