//! The pieces a generated `Deserialize` is made of, read through `serde_json` as a generated
//! struct reads them: absent fields by serde's rules, keys borrowed or owned.

use codegen_runtime::de::{missing, object, settled, skip, Fields, Key, Slot};
use serde::de::{Deserializer, MapAccess};

/// What the generator writes for a struct with a required field, an optional one, one with a
/// default and a required nullable one.
#[derive(Debug, PartialEq)]
struct Reading {
    id: String,
    note: Option<String>,
    tags: Vec<String>,
    taken_at: Option<String>,
}

impl<'de> serde::Deserialize<'de> for Reading {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object(deserializer, "Reading", &["id", "note", "tags", "taken_at"])
    }
}

impl<'de> Fields<'de> for Reading {
    fn visit_map<A: MapAccess<'de>>(mut map: A) -> Result<Reading, A::Error> {
        let (mut id, mut note, mut tags, mut taken_at) =
            (Slot::default(), Slot::default(), Slot::default(), Slot::default());
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "id" => id.fill(&mut map),
                "note" => note.fill(&mut map),
                "tags" => tags.fill(&mut map),
                "taken_at" => taken_at.fill(&mut map),
                _ => skip(&mut map),
            }?;
        }
        settled([id.settle::<A::Error>("id"), taken_at.present::<A::Error>("taken_at")])?;
        Ok(Reading {
            id: id.value(),
            note: note.optional(),
            tags: tags.or_else(Default::default),
            taken_at: taken_at.value(),
        })
    }
}

fn read(json: &str) -> Result<Reading, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

#[test]
fn absent_fields_follow_serdes_rules() {
    assert_eq!(
        read(r#"{"id": "r1", "taken_at": null}"#),
        Ok(Reading { id: "r1".into(), note: None, tags: vec![], taken_at: None })
    );
    assert_eq!(read(r#"{"taken_at": null}"#), Err("missing field `id` at line 1 column 18".into()));
    assert_eq!(read(r#"{"id": "r1"}"#), Err("missing field `taken_at` at line 1 column 12".into()));
    assert_eq!(read(r#"{}"#), Err("missing field `id` at line 1 column 2".into()), "the first field's error");
    assert_eq!(read(r#""r1""#), Err("invalid type: string \"r1\", expected struct Reading at line 1 column 4".into()));
}

#[test]
fn settling_an_absent_field_gives_none_to_a_type_that_reads_absence_as_none() {
    /// An `Option` behind an alias: the generator sees no `Option` and settles the slot.
    type MaybeLimit = Option<u8>;
    let mut alias: Slot<MaybeLimit> = Slot::default();
    assert!(alias.settle::<serde_json::Error>("limit").is_ok());
    assert_eq!(alias.value(), None);
    let mut plain: Slot<u8> = Slot::default();
    let error = plain.settle::<serde_json::Error>("limit").unwrap_err();
    assert_eq!(error.to_string(), "missing field `limit`");
}

#[test]
fn unknown_keys_are_skipped_and_a_repeated_key_keeps_its_last_value() {
    let reading = read(r#"{"id": "r1", "added": {"deep": [1]}, "taken_at": "x", "id": "r2"}"#).unwrap();
    assert_eq!((reading.id.as_str(), reading.taken_at.as_deref()), ("r2", Some("x")));
}

#[test]
fn keys_with_escapes_are_read_owned_and_match_the_same() {
    let reading = read(r#"{"\u0069d": "r1", "taken_at": null}"#).unwrap();
    assert_eq!(reading.id, "r1");
}

#[test]
fn an_absent_value_is_none_for_an_option_and_an_error_for_anything_else() {
    let none: Result<Option<u8>, serde_json::Error> = missing("limit");
    assert_eq!(none.unwrap(), None);
    let required: Result<u8, serde_json::Error> = missing("limit");
    assert_eq!(required.unwrap_err().to_string(), "missing field `limit`");
}
