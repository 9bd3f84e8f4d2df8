//! The generated `Serialize` of a plain struct, as the generator writes it, against serde's
//! derive on the same struct: the same JSON, with the same fields left out.

use codegen_runtime::ser::{fields, unless};

#[derive(serde::Serialize)]
struct Derived {
    id: String,
    #[serde(rename = "type")]
    type_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

struct Generated {
    id: String,
    type_: Option<String>,
    note: Option<String>,
    tags: Vec<String>,
}

impl serde::Serialize for Generated {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fields(
            serializer,
            "Generated",
            &[
                ("id", Some(&self.id)),
                ("type", Some(&self.type_)),
                ("note", unless(Option::is_none(&self.note), &self.note)),
                ("tags", unless(Vec::is_empty(&self.tags), &self.tags)),
            ],
        )
    }
}

#[test]
fn writes_what_the_derive_writes_skipping_the_same_fields() {
    let cases = [(None, None, vec![]), (Some("t"), Some("n"), vec!["a".to_string()]), (None, Some("n"), vec![])];
    for (type_, note, tags) in cases {
        let derived =
            Derived { id: "r1".into(), type_: type_.map(Into::into), note: note.map(Into::into), tags: tags.clone() };
        let generated = Generated { id: "r1".into(), type_: type_.map(Into::into), note: note.map(Into::into), tags };
        let (derived, generated) =
            (serde_json::to_string(&derived).unwrap(), serde_json::to_string(&generated).unwrap());
        assert_eq!(generated, derived);
    }
    let generated = Generated { id: "r1".into(), type_: None, note: None, tags: vec![] };
    assert_eq!(serde_json::to_string(&generated).unwrap(), r#"{"id":"r1","type":null}"#);
}
