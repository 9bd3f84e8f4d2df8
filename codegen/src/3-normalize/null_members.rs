//! "This, or null" as OpenAPI 3.0 schema generators write it: an `anyOf`/`oneOf` member that
//! is only `{nullable: true}` (a description at most), as schemars and utoipa emit for an
//! `Option<T>` field.
//!
//! Read literally, a schema with no type admits any value, so the member would make the whole
//! composition "anything". Generators then emit a struct of optional flattened variants that
//! decodes nothing right (an array, a number or a string where the other member is a `$ref` to
//! one). What is meant is the 3.1 `{type: "null"}` member, which the 3.1 conversion already
//! turns into `nullable`; this is the same rewrite for the 3.0 spelling.

use serde_json::{json, Map, Value};

use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

/// Keywords that only describe: a member carrying nothing else besides its null marker
/// (`nullable: true` here, `type: "null"` in 3.1) is only null.
pub(super) const ANNOTATIONS: [&str; 6] = ["title", "description", "default", "example", "examples", "deprecated"];

/// Whether `member` holds `marker` and otherwise only annotations.
pub(super) fn is_only(member: &Value, marker: (&str, &Value)) -> bool {
    member.as_object().is_some_and(|object| {
        object.get(marker.0) == Some(marker.1)
            && object.keys().all(|k| k == marker.0 || k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()))
    })
}

/// Takes the members `is_null` picks out of the schema's `anyOf`/`oneOf` and makes it
/// `nullable`; a single remaining member becomes an `allOf` of one, the 3.0 way to say "this,
/// or null", and none leaves no composition. With `needs_other`, a composition without a
/// member that is not null is left as it is. Returns, per keyword rewritten, its members before
/// and the keyword that now holds the rest (`None`: none are left).
pub(super) fn fold_null_members(
    schema: &mut Map<String, Value>,
    is_null: impl Fn(&Value) -> bool,
    needs_other: bool,
) -> Vec<(&'static str, Vec<Value>, Option<&'static str>)> {
    let mut folded = Vec::new();
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = schema.get_mut(key) else { continue };
        let nulls = members.iter().filter(|m| is_null(m)).count();
        if nulls == 0 || (needs_other && nulls == members.len()) {
            continue;
        }
        let before = members.clone();
        members.retain(|m| !is_null(m));
        let single = (members.len() == 1).then(|| members[0].clone());
        let none = members.is_empty();
        schema.insert("nullable".into(), Value::Bool(true));
        let kept = if let Some(single) = single {
            schema.remove(key);
            schema.insert("allOf".into(), Value::Array(vec![single]));
            Some("allOf")
        } else if none {
            schema.remove(key);
            None
        } else {
            Some(key)
        };
        folded.push((key, before, kept));
    }
    folded
}

/// The 3.0 rule: `{nullable: true}` members of a composition with other members.
pub fn null_members_as_nullable(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let marker = Value::Bool(true);
    for (key, before, kept) in fold_null_members(schema, |m| is_only(m, ("nullable", &marker)), true) {
        // Another member is kept (`needs_other`), so `kept` names a keyword.
        let kept = kept.unwrap_or(key);
        let after = json!({ kept: schema.get(kept).cloned().unwrap_or_default(), "nullable": true });
        changes.push(
            Change::new(Stage::Normalize, Rule::NullMemberAsNullable, pointer::child(at, key))
                .values(Some(Value::Array(before)), Some(after))
                .note("a member that is only `nullable: true` means \"or null\": the schema made nullable"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(mut schema: Value) -> (Value, Vec<Change>) {
        let mut changes = Vec::new();
        null_members_as_nullable(schema.as_object_mut().unwrap(), "/s", &mut changes);
        (schema, changes)
    }

    #[test]
    fn a_reference_or_a_bare_nullable_member_is_a_nullable_reference() {
        let (schema, changes) = rewrite(json!({
            "description": "Shard key",
            "anyOf": [{"$ref": "#/components/schemas/ShardKey"}, {"nullable": true, "description": "none"}]
        }));
        assert_eq!(
            schema,
            json!({"description": "Shard key", "allOf": [{"$ref": "#/components/schemas/ShardKey"}], "nullable": true})
        );
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].rule, Rule::NullMemberAsNullable);
        assert_eq!(changes[0].pointer, "/s/anyOf");
    }

    #[test]
    fn several_members_stay_alternatives_and_typed_nullable_members_are_kept() {
        let (schema, _) = rewrite(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"nullable": true}]}));
        assert_eq!(schema, json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true}));
        let typed = json!({"anyOf": [{"type": "string"}, {"type": "integer", "nullable": true}]});
        assert_eq!(rewrite(typed.clone()), (typed, Vec::new()), "a typed member says more than null");
        let lone = json!({"anyOf": [{"nullable": true}]});
        assert_eq!(rewrite(lone.clone()), (lone, Vec::new()), "nothing else to make nullable");
    }
}
