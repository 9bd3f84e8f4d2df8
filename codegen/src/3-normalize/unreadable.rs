//! In a lenient run, a keyword no rule can read costs only itself.
//!
//! `minimum: "a lot"`, `required: true` on a request-body schema, an enum value of another type
//! than its schema: a strict run stops on each, naming it. Refusing a whole API for one keyword
//! gives the user nothing, so a lenient run drops the keyword instead (an enum whose values
//! contradict the type goes whole, leaving the schema open), records the change and turns the
//! error into a warning. Dropping only ever widens what a schema accepts: the client reads what
//! the server sends.

use serde_json::Value;

use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

/// The kinds of error this rule degrades.
const DROPPABLE: [diagnostics::Kind; 3] =
    [diagnostics::Kind::InvalidKeyword, diagnostics::Kind::InvalidRequired, diagnostics::Kind::EnumValueType];

/// Drops the keyword each droppable error points at; returns the other problems, with a
/// warning for each keyword dropped.
pub fn drop_unreadable(document: &mut Value, problems: Diagnostics, changes: &mut Vec<Change>) -> Diagnostics {
    let mut out = Diagnostics::default();
    let mut dropped: Vec<String> = Vec::new();
    for problem in problems {
        let at = problem.pointer.clone().filter(|_| DROPPABLE.contains(&problem.kind));
        let Some(at) = at else {
            out.push(problem);
            continue;
        };
        let Some((keyword_at, before)) = remove_keyword(document, &at) else {
            // A second value of an enum already dropped: nothing left to drop, nothing to stop.
            if !dropped.iter().any(|d| at.starts_with(&format!("{d}/"))) {
                out.push(problem);
            }
            continue;
        };
        dropped.push(keyword_at.clone());
        changes.push(
            Change::new(Stage::Normalize, Rule::UnreadableKeywordDropped, &keyword_at)
                .values(Some(before), None)
                .note(format!("no rule can read it ({}); dropped, so the schema accepts more", problem.message)),
        );
        out.push(
            Diagnostic::new(
                diagnostics::Kind::UnreadableKeywordDropped,
                format!("{}; the keyword was dropped", problem.message),
            )
            .at(keyword_at),
        );
    }
    out
}

/// Removes the keyword at `at` (for a pointer into an `enum`'s values, the whole `enum`):
/// its pointer and value.
fn remove_keyword(document: &mut Value, at: &str) -> Option<(String, Value)> {
    let (mut parent, mut key) = at.rsplit_once('/')?;
    if key.parse::<usize>().is_ok() && parent.ends_with("/enum") {
        (parent, key) = parent.rsplit_once('/')?;
    }
    let key = pointer::unescape(key);
    let removed = document.pointer_mut(parent)?.as_object_mut()?.shift_remove(&key)?;
    Some((pointer::child(parent, &key), removed))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_unreadable_keyword_goes_and_the_error_becomes_a_warning() {
        let mut document = json!({"components": {"schemas": {
            "A": {"type": "integer", "minimum": "a lot", "enum": [1, "two", "three"]},
            "B": {"type": "object", "required": true},
        }}});
        let mut problems = Diagnostics::default();
        for (kind, at) in [
            (diagnostics::Kind::InvalidKeyword, "/components/schemas/A/minimum"),
            (diagnostics::Kind::EnumValueType, "/components/schemas/A/enum/1"),
            (diagnostics::Kind::EnumValueType, "/components/schemas/A/enum/2"),
            (diagnostics::Kind::InvalidRequired, "/components/schemas/B/required"),
            (diagnostics::Kind::DanglingReference, "/components/schemas/B"),
        ] {
            problems.push(Diagnostic::new(kind, "bad").at(at));
        }
        let mut changes = Vec::new();
        let left = drop_unreadable(&mut document, problems, &mut changes);
        assert_eq!(document, json!({"components": {"schemas": {"A": {"type": "integer"}, "B": {"type": "object"}}}}));
        let pointers: Vec<_> = changes.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/components/schemas/A/minimum", "/components/schemas/A/enum", "/components/schemas/B/required"]
        );
        // Only the problem this rule does not degrade stays an error; the enum's second bad value
        // went with the first.
        assert_eq!(left.iter().filter(|d| d.severity() == diagnostics::Severity::Error).count(), 1);
        assert_eq!(left.len(), 4);
    }
}
