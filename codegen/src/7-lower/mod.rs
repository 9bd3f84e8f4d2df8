//! Stage 7, lower: adapt the clean spec to what typify and the generator accept, without losing meaning.
//!
//! Each step is a generic rule with its own file: readable names ([`names`]), declared path parameters ([`parameters`]), one JSON media
//! type per body ([`media`]), event data rather than envelopes ([`events`]), one error type and one success type per operation ([`errors`], [`successes`]), one client per server
//! ([`servers`]). Every change is recorded in the report, like the normalizer's.

pub mod bodies;
pub mod errors;
pub mod events;
pub mod media;
pub mod names;
pub mod parameters;
pub mod patterns;
pub mod properties;
pub mod recursive_all_of;
pub mod references;
pub mod repeated_inline;
pub mod response_kinds;
pub mod schemas;
pub mod servers;
pub mod successes;
pub mod text;
pub mod tolerant;
pub mod webhooks;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::report::Change;
pub use servers::ServerGroup;

/// The lowered API: one document per server, ready for the generator.
#[derive(Debug)]
pub struct Lowered {
    /// One group per server.
    pub groups: Vec<ServerGroup>,
    /// What lowering changed.
    pub changes: Vec<Change>,
    /// The API's webhooks and the types their payloads need, when it documents any.
    pub webhooks: Option<webhooks::WebhookGroup>,
}

/// One lowering rule: rewrites the document in place and records what it changed.
type LoweringRule = fn(&mut Value, &mut Vec<Change>);

/// The rules in the order they run (later rules see earlier rules' output: references are
/// named before anything resolves them; bodies are fitted before success and error types are
/// unified; unions exist before nullable compositions are lifted).
const RULES: [(&str, LoweringRule); 31] = [
    ("  lower: references", references::name_deep_references),
    ("  lower: schema names", names::shorten_schema_names),
    ("  lower: type names", names::free_type_names),
    ("  lower: operation ids", names::ensure_operation_ids),
    ("  lower: stray path parameters", parameters::drop_untemplated_path_parameters),
    ("  lower: path parameters", parameters::declare_path_parameters),
    ("  lower: cookie parameters", parameters::drop_cookie_parameters),
    ("  lower: textual parameters", parameters::fit_textual_parameters),
    ("  lower: content parameters", parameters::declare_content_parameters),
    ("  lower: deepObject arrays", parameters::fit_deep_object_arrays),
    ("  lower: struct parameters", parameters::fit_struct_parameters),
    ("  lower: delimited arrays", parameters::fit_delimited_arrays),
    ("  lower: parameter names", parameters::separate_colliding_names),
    ("  lower: nullable headers", parameters::fit_nullable_headers),
    ("  lower: bodiless responses", successes::empty_bodiless_responses),
    ("  lower: event envelopes", events::unwrap_event_envelopes),
    ("  lower: media types", media::choose_json_media_types),
    ("  lower: bodies", bodies::fit_bodies),
    ("  lower: schema shapes", schemas::fit_schemas),
    ("  lower: recursive allOf", recursive_all_of::flatten_recursive_all_of),
    ("  lower: default responses", successes::split_default_responses),
    ("  lower: error bodies", errors::unify_error_bodies),
    ("  lower: success bodies", successes::unify_success_bodies),
    ("  lower: response kinds", response_kinds::unify_response_kinds),
    ("  lower: nullable compositions", schemas::lift_nullable_compositions),
    ("  lower: inline names", schemas::lift_colliding_inline_properties),
    ("  lower: operation type names", schemas::lift_colliding_operation_schemas),
    // A property lifted for its name may itself be a nullable composition.
    ("  lower: lifted nullable compositions", schemas::lift_nullable_compositions),
    ("  lower: doc text", text::fit_doc_text),
    ("  lower: closed objects", tolerant::open_closed_objects),
    ("  lower: defaults", tolerant::leave_defaults_to_the_server),
];

/// Runs `each` on the document's paths, mutably, beside the rest of the document to resolve
/// references in, without copying either. After the `references` rule every `$ref` names a
/// component, so a rule that changes only what is under `paths` reads nothing there through a
/// reference; rules used to copy the whole document to read it while changing it (GitHub's
/// 13 MB spec was copied ten times).
pub(crate) fn with_paths_apart<R>(document: &mut Value, each: impl FnOnce(&mut Value, &Value) -> R) -> R {
    // `{"paths": …}`, so that helpers written for a whole document walk it as one.
    let mut paths = serde_json::Map::new();
    if let Some(taken) = document.get_mut("paths").map(Value::take) {
        paths.insert("paths".into(), taken);
    }
    let mut paths = Value::Object(paths);
    let result = each(&mut paths, document);
    let taken = paths.as_object_mut().and_then(|p| p.remove("paths"));
    if let (Some(taken), Some(slot)) = (taken, document.get_mut("paths")) {
        *slot = taken;
    }
    result
}

/// Lowers a merged, normalized document. `module_names` maps server URLs to module names.
pub fn lower(document: &Value, module_names: &BTreeMap<String, String>) -> Lowered {
    lower_owned(document.clone(), module_names)
}

/// [`lower`], rewriting `document` itself rather than a copy.
pub fn lower_owned(mut document: Value, module_names: &BTreeMap<String, String>) -> Lowered {
    let mut changes = Vec::new();
    for (name, rule) in RULES {
        crate::timing::timed(name, || rule(&mut document, &mut changes));
    }
    let webhooks = crate::timing::timed("  lower: webhooks", || webhooks::collect(&mut document, &mut changes));
    let renamed_properties =
        crate::timing::timed("  lower: property names", || properties::separate_colliding(&mut document, &mut changes));
    // The webhooks' types are a module of their own (behind a cargo feature), so a client that
    // does not receive them does not compile them; a single client module declares it.
    let webhooks = crate::timing::timed("  lower: webhooks' schemas", || webhooks::group(&document, webhooks));
    let mut groups =
        crate::timing::timed("  lower: servers", || servers::partition(document, module_names, &mut changes));
    if let (Some(_), [single]) = (&webhooks, groups.as_mut_slice()) {
        single.declares_webhooks = true;
    }
    for group in &mut groups {
        group.renamed_properties = renamed_properties.clone();
    }
    let webhooks = webhooks.map(|w| webhooks::WebhookGroup { renamed_properties: renamed_properties.clone(), ..w });
    Lowered { groups, changes, webhooks }
}

/// A schema name not yet taken in `document`: `base`, else `base2`, `base3`, ...
pub(crate) fn unique_schema_name(document: &Value, base: &str) -> String {
    crate::model::naming::first_free(base, "", |n| {
        document.pointer(&crate::model::pointer::child("/components/schemas", n)).is_some()
    })
}

/// `components/schemas` of `document`, created when missing.
pub(crate) fn schemas_mut(document: &mut Value) -> &mut serde_json::Map<String, Value> {
    let components = document
        .as_object_mut()
        .expect("a document is an object")
        .entry("components")
        .or_insert_with(|| serde_json::json!({}));
    components
        .as_object_mut()
        .expect("components is an object")
        .entry("schemas")
        .or_insert_with(|| serde_json::json!({}))
        .as_object_mut()
        .expect("schemas is an object")
}
