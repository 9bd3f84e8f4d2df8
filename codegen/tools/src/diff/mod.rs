//! What changed in an API between two versions of its normalized spec, and whether it breaks a
//! client.
//!
//! A diff of generated Rust shows *that* something changed; this says *what* changed in the API
//! (an operation, a parameter, a body or response field, a status, a server, a security
//! requirement) and classifies each change as breaking or not for a client of the generated
//! crate, naming the rule. Rule names follow oasdiff's checks where one exists. [`rust_api`]
//! adds the changes to the generated crate's public items, for release notes.

pub mod render;
pub mod rust_api;
mod schema;
mod spec;

use serde::Serialize;
use serde_json::Value;

/// Whether a change breaks a client of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Code that compiled may not compile, or requests that worked may now fail or decode differently.
    Breaking,
    /// Existing clients keep working.
    NonBreaking,
}

/// One change to an API.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApiChange {
    /// The API (manifest name).
    pub api: String,
    /// The operation, as `METHOD /path`, or `None` for API-wide changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Where in the operation: `request body: ds_id`, `response 201: data.login_id`, `query parameter limit`.
    pub location: String,
    /// The rule that classified it.
    pub rule: &'static str,
    /// Breaking or not.
    pub impact: Impact,
    /// The value before, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// Compares two normalized documents of the API `api`.
pub fn diff_specs(api: &str, old: &Value, new: &Value) -> Vec<ApiChange> {
    let mut changes = spec::diff(old, new);
    for change in &mut changes {
        change.api = api.to_string();
    }
    changes
}

/// Whether any change is breaking.
pub fn has_breaking(changes: &[ApiChange]) -> bool {
    changes.iter().any(|c| c.impact == Impact::Breaking)
}
