//! Descriptions, summaries and titles become Rust doc comments, where rustc refuses a bare
//! carriage return ("bare CR not allowed in doc-comment"). Windows (`\r\n`) and old Mac (`\r`)
//! line endings are turned into `\n`. A word in brackets that is no Markdown link
//! (`[optional]`) is escaped (`\[optional\]`): rustdoc would read it as a link to an item and
//! warn that it finds none. The text is otherwise untouched.

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
                            Change::new(Stage::Lower, Rule::DocTextFitted, here.clone())
                                .note("carriage returns turned into newlines (rustc refuses them in doc comments)"),
                        );
                        if let Some(escaped) = escape_item_brackets(text) {
                            *text = escaped;
                        }
                    }
                    Value::String(text) if DOC_KEYWORDS.contains(&key.as_str()) && text.contains('[') => {
                        if let Some(escaped) = escape_item_brackets(text) {
                            *text = escaped;
                            changes.push(
                                Change::new(Stage::Lower, Rule::DocTextFitted, here)
                                    .note("a bracketed word escaped (rustdoc would read it as a link to an item)"),
                            );
                        }
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

/// `text` with each `[word]` that rustdoc would take for an intra-doc link (a path in brackets,
/// not followed by `(`, `[` or `:` as a Markdown link is) escaped; `None` when there is none.
fn escape_item_brackets(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 4);
    let mut rest = text;
    let mut changed = false;
    while let Some(open) = rest.find('[') {
        let escaped_before = rest[..open].ends_with('\\');
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find(']');
        let inner = close.map(|c| &after[..c]);
        let follows = close.and_then(|c| after[c + 1..].chars().next());
        let path_like = inner.is_some_and(|inner| {
            !inner.is_empty()
                && inner.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        });
        match (inner, path_like && !escaped_before && !matches!(follows, Some('(' | '[' | ':'))) {
            (Some(inner), true) => {
                out.push_str("\\[");
                out.push_str(inner);
                out.push_str("\\]");
                rest = &after[inner.len() + 1..];
                changed = true;
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::escape_item_brackets;

    #[test]
    fn bracketed_words_are_escaped_and_markdown_links_are_not() {
        assert_eq!(escape_item_brackets("[optional] The hash").as_deref(), Some("\\[optional\\] The hash"));
        assert_eq!(escape_item_brackets("see [the docs](https://x.test) or [spec][1]"), None);
        assert_eq!(escape_item_brackets("an array [1, 2] and [a b]"), None);
        assert_eq!(escape_item_brackets("a [ref]: https://x.test"), None);
    }
}
