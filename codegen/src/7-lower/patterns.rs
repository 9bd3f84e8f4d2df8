//! A `pattern` the generated code cannot compile is dropped.
//!
//! typify turns a string's `pattern` into a newtype that checks it with `regress`, an
//! ECMAScript regex engine, and refuses the whole schema when the pattern does not compile
//! there ("invalid pattern"). Vendors write patterns in other dialects: PCRE's `(?i)` flag,
//! Python's `\Z`, possessive quantifiers. A pattern only narrows what a string may be, so
//! without it the value is a plain string: the client sends what the caller gives (the server
//! checks it) and reads what the server sends.

use serde_json::{Map, Value};

use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

/// Drops the schema's `pattern` when the generated code's regex engine cannot compile it.
pub fn drop_uncompilable_pattern(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(Value::String(pattern)) = object.get("pattern") else { return };
    let Err(why) = regress::Regex::new(pattern) else { return };
    let before = object.remove("pattern");
    changes.push(
        Change::new(Stage::Lower, Rule::SchemaFitted, pointer::child(at, "pattern"))
            .values(before, None)
            .note(format!("not an ECMAScript regex the client can check ({why}); the string is not checked")),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_a_pattern_the_engine_refuses_goes() {
        let mut changes = Vec::new();
        let mut pcre = json!({"type": "string", "pattern": "(?i)^[0-9a-f]{8}$"});
        drop_uncompilable_pattern(pcre.as_object_mut().unwrap(), "/s", &mut changes);
        assert_eq!(pcre, json!({"type": "string"}));
        let mut ecma = json!({"type": "string", "pattern": "^[0-9a-f]{8}$"});
        drop_uncompilable_pattern(ecma.as_object_mut().unwrap(), "/t", &mut changes);
        assert_eq!(ecma["pattern"], json!("^[0-9a-f]{8}$"));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].pointer, "/s/pattern");
    }
}
