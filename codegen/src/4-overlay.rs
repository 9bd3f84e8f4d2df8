//! Stage 4, overlay: hand-written semantic fixes, in the OpenAPI Overlay 1.0 format.
//!
//! Some fixes no generic rule can know: a page says a `date-time` field also takes "10 hours".
//! They live in an overlay file beside the page, each action with a description saying why.
//! Actions are applied by `roas-overlay` (a conformant Overlay 1.0 implementation over RFC 9535
//! JSONPath) one at a time with "zero matches is an error", so an action whose target vanished
//! upstream fails the run instead of silently doing nothing.

use roas_overlay::apply::{Apply, ApplyErrorKind, ApplyOptions};
use roas_overlay::v1_0::Overlay;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use crate::report::{Change, Rule, Stage};

/// Parses an overlay file's text (YAML or JSON).
///
/// # Errors
/// When the text is not an Overlay 1.0 document.
pub fn parse(text: &str) -> Result<Overlay> {
    serde_yaml_ng::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(Kind::InvalidOverlay, format!("not an Overlay 1.0 document: {e}"));
        if let Some(location) = e.location() {
            d = d.on_line(location.line());
        }
        d.into()
    })
}

/// Applies every action of `overlay` to `document`, recording one change per matched node.
///
/// # Errors
/// Every action that matched nothing, had an invalid target, or lacks a description.
pub fn apply(overlay: &Overlay, document: &mut Value) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    let mut problems = Diagnostics::default();
    for (index, action) in overlay.actions.iter().enumerate() {
        let at = format!("/actions/{index}");
        let Some(description) = action.description.clone() else {
            problems.push(Diagnostic::new(Kind::UndescribedAction, "overlay action has no description").at(&at));
            continue;
        };
        let before = located(&action.target, document);
        let single = Overlay { actions: vec![action.clone()], ..overlay.clone() };
        match single.apply(document, ApplyOptions::ErrorOnZeroMatch.into()) {
            Ok(_) => {
                for (pointer, old) in before {
                    let new = document.pointer(&pointer).cloned();
                    changes.push(
                        Change::new(Stage::Overlay, Rule::OverlayAction, pointer)
                            .values(Some(old), new)
                            .note(description.clone()),
                    );
                }
            }
            Err(e) => {
                let message = match e.kind {
                    ApplyErrorKind::ZeroMatch => format!(
                        "overlay action target {:?} matches nothing: the upstream page may have changed",
                        action.target
                    ),
                    other => format!("overlay action target {:?} failed: {other}", action.target),
                };
                problems.push(Diagnostic::new(Kind::ActionMissesTarget, message).at(&at));
            }
        }
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

/// The JSON pointers and values a target selects, for the report.
fn located(target: &str, document: &Value) -> Vec<(String, Value)> {
    let Ok(path) = JsonPath::parse(target) else { return Vec::new() };
    path.query_located(document).iter().map(|node| (node.location().to_json_pointer(), node.node().clone())).collect()
}
