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

/// Keywords that only describe: a member carrying nothing else besides `nullable` is "null".
const ANNOTATIONS: [&str; 6] = ["title", "description", "default", "example", "examples", "deprecated"];

/// Takes the only-null members out of the schema's `anyOf`/`oneOf` and makes it `nullable`; a
/// single remaining member becomes an `allOf` of one, the 3.0 way to say "this, or null".
pub fn null_members_as_nullable(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = schema.get_mut(key) else { continue };
        let count = members.len();
        if count < 2 || !members.iter().any(is_only_null) {
            continue;
        }
        let before = Value::Array(members.clone());
        members.retain(|member| !is_only_null(member));
        let rest = std::mem::take(members);
        schema.remove(key);
        let kept = match <[Value; 1]>::try_from(rest) {
            Ok([single]) => ("allOf", vec![single]),
            Err(rest) => (key, rest),
        };
        let after = Value::Array(kept.1.clone());
        schema.insert(kept.0.into(), Value::Array(kept.1));
        schema.insert("nullable".into(), Value::Bool(true));
        changes.push(
            Change::new(Stage::Normalize, Rule::NullMemberAsNullable, pointer::child(at, key))
                .values(Some(before), Some(json!({ kept.0: after, "nullable": true })))
                .note("a member that is only `nullable: true` means \"or null\": the schema made nullable"),
        );
    }
}

fn is_only_null(member: &Value) -> bool {
    member.as_object().is_some_and(|object| {
        object.get("nullable") == Some(&Value::Bool(true))
            && object.keys().all(|k| k == "nullable" || k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()))
    })
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
