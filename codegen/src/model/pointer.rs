//! JSON pointers (RFC 6901): how every report and diagnostic says where a value is.

use crate::model::keys::Holds;

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends `/token`, escaped, to `pointer` (no allocation when the token needs no escaping).
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&escape(token));
    } else {
        pointer.push_str(token);
    }
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer of a child of the value at `base`.
pub fn child(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

/// The component a local `$ref` names, as (section, name): `#/components/schemas/Pet` gives
/// `("schemas", "Pet")`. Any other reference gives `None`.
pub fn component_ref(reference: &str) -> Option<(&str, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    if name.contains('/') {
        return None;
    }
    Some((section, unescape(name)))
}

/// The (section, name) of every component `value` references, in document order.
pub fn component_refs(value: &serde_json::Value) -> Vec<(String, String)> {
    references(value).into_iter().filter_map(component_ref).map(|(section, name)| (section.to_string(), name)).collect()
}

/// The `$ref` string that names a component.
pub fn component_ref_to(section: &str, name: &str) -> String {
    format!("#/components/{section}/{}", escape(name))
}

/// A copy of what `$ref`s of a lowered document can name, to [`resolve`] them against while the
/// document itself is rewritten: its `components` (lowering has turned references into paths
/// and into schemas' insides into components). Copying the whole document, paths included, was
/// a quarter of a second and 300 MB per pass on Microsoft Graph.
pub fn reference_targets(document: &serde_json::Value) -> serde_json::Value {
    let mut targets = serde_json::Map::new();
    if let Some(components) = document.get("components") {
        targets.insert("components".into(), components.clone());
    }
    serde_json::Value::Object(targets)
}

/// What `value` stands for: the target of its local `$ref` (following `$ref`s to `$ref`s, at most
/// 32 deep, which also stops cycles), or `value` itself when it is not a local reference or the
/// target is missing (a dangling reference is reported by the normalizer, not here).
pub fn resolve<'a>(value: &'a serde_json::Value, root: &'a serde_json::Value) -> &'a serde_json::Value {
    let mut current = value;
    for _ in 0..32 {
        let target = current
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p));
        match target {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

/// Every `$ref` string in `value`, at any depth, in document order.
pub fn references(value: &serde_json::Value) -> Vec<&str> {
    collect_references(value)
}

/// Every `$ref` string in `value` that is a reference: outside `x-` extensions (whose content
/// is the vendor's own, such as a code sample file a `$ref` names) and outside literal data
/// (an example of a JSON Schema holds `$ref` keys too), in document order. `value` is read as
/// an object of keywords.
pub fn references_outside_extensions(value: &serde_json::Value) -> Vec<&str> {
    fn collect<'a>(value: &'a serde_json::Value, holds: Holds, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(object) => {
                for (key, child) in object {
                    match (key.as_str(), child) {
                        ("$ref", serde_json::Value::String(reference)) if holds == Holds::Keywords => {
                            out.push(reference)
                        }
                        _ => {
                            let inner = holds.child(key, child);
                            if inner.is_structure() {
                                collect(child, inner, out);
                            }
                        }
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| collect(item, holds, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(value, Holds::Keywords, &mut out);
    out
}

fn collect_references(value: &serde_json::Value) -> Vec<&str> {
    fn collect<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(object) => {
                for (key, child) in object {
                    match (key.as_str(), child) {
                        ("$ref", serde_json::Value::String(reference)) => out.push(reference),
                        _ => collect(child, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(value, &mut out);
    out
}

/// `value` read as a `T`, or where in it (a JSON pointer relative to it) and why it is not one.
///
/// Read plainly first: tracking the path costs a third more, and only a failure needs it.
///
/// # Errors
/// The pointer of the value that failed and serde's message.
pub fn deserialize_at<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, (String, String)> {
    if let Ok(read) = T::deserialize(value) {
        return Ok(read);
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        use serde_path_to_error::Segment;
        let at = e
            .path()
            .iter()
            .filter_map(|segment| match segment {
                Segment::Seq { index } => Some(format!("/{index}")),
                Segment::Map { key } => Some(format!("/{}", escape(key))),
                Segment::Enum { .. } | Segment::Unknown => None,
            })
            .collect();
        (at, e.into_inner().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reference_targets_resolve_as_the_document_does_without_its_paths() {
        let document = json!({
            "paths": {"/a": {"get": {"responses": {}}}},
            "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}}},
        });
        let targets = reference_targets(&document);
        assert!(targets.get("paths").is_none());
        let reference = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(resolve(&reference, &targets), &json!({"type": "string"}));
        assert_eq!(resolve(&reference, &targets), resolve(&reference, &document));
        assert_eq!(reference_targets(&json!({"paths": {}})), json!({}));
    }
}
