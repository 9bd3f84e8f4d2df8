//! The diff as text for a terminal, Markdown for a pull request, or JSON for tools.

use std::fmt::Write as _;

use serde_json::Value;

use super::rust_api::ItemChange;
use super::{ApiChange, Impact};

fn value(v: &Option<Value>) -> String {
    match v {
        None => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn impact(i: Impact) -> &'static str {
    match i {
        Impact::Breaking => "breaking",
        Impact::NonBreaking => "non-breaking",
    }
}

/// Plain text, one line per change, breaking ones first.
pub fn text(changes: &[ApiChange], items: &[ItemChange]) -> String {
    let mut out = String::new();
    let mut sorted: Vec<&ApiChange> = changes.iter().collect();
    sorted.sort_by_key(|c| (c.api.clone(), c.impact));
    let mut api = None;
    for c in sorted {
        if api != Some(&c.api) {
            let _ = writeln!(out, "{}:", c.api);
            api = Some(&c.api);
        }
        let _ = writeln!(
            out,
            "  {:<12} {} {}: {} -> {} [{}]",
            impact(c.impact).to_uppercase(),
            c.operation.as_deref().unwrap_or("(API)"),
            c.location,
            value(&c.before),
            value(&c.after),
            c.rule
        );
    }
    if changes.is_empty() {
        out.push_str("no API changes\n");
    }
    if !items.is_empty() {
        let _ = writeln!(out, "generated crate public API:");
        for item in items {
            let _ = writeln!(out, "  {:<8} {}", item.kind.as_str(), item.path);
        }
    }
    let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
    let _ = writeln!(out, "{} change(s), {breaking} breaking", changes.len());
    out
}

/// A Markdown report ready to paste into a pull request.
pub fn markdown(changes: &[ApiChange], items: &[ItemChange]) -> String {
    let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
    let mut out = format!("## API changes\n\n{} change(s), **{breaking} breaking**.\n", changes.len());
    let mut apis: Vec<&String> = changes.iter().map(|c| &c.api).collect();
    apis.dedup();
    for api in apis {
        let _ = write!(
            out,
            "\n### `{api}`\n\n| impact | operation | where | before | after | rule |\n|---|---|---|---|---|---|\n"
        );
        let mut rows: Vec<&ApiChange> = changes.iter().filter(|c| &c.api == api).collect();
        rows.sort_by_key(|c| c.impact);
        for c in rows {
            let marker = if c.impact == Impact::Breaking { "⚠️ breaking" } else { "non-breaking" };
            let cell = |s: String| s.replace('|', "\\|");
            let _ = writeln!(
                out,
                "| {marker} | `{}` | {} | `{}` | `{}` | `{}` |",
                c.operation.as_deref().unwrap_or("(API)"),
                cell(c.location.clone()),
                cell(value(&c.before)),
                cell(value(&c.after)),
                c.rule
            );
        }
    }
    if !items.is_empty() {
        out.push_str("\n### Generated crate public API\n\n");
        for item in items {
            let _ = writeln!(out, "- {} `{}`", item.kind.as_str(), item.path);
        }
    }
    out
}

/// Everything as JSON.
pub fn json(changes: &[ApiChange], items: &[ItemChange]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "changes": changes, "public_api": items }))
        .expect("changes serialize")
}
