//! The pieces a generated `Deserialize` is made of, read through `serde_json` as a generated
//! struct reads them: absent fields by serde's rules, keys borrowed or owned.

use codegen_runtime::de::{missing, object, settled, Absent, Fields, Slot};
use serde::de::Deserializer;

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
    type Slots = (Slot<String>, Slot<Option<String>>, Slot<Vec<String>>, Slot<Option<String>>);
    fn slot(key: &str) -> Option<usize> {
        Some(match key {
            "id" => 0,
            "note" => 1,
            "tags" => 2,
            "taken_at" => 3,
            _ => return None,
        })
    }
    fn build((mut id, note, tags, taken_at): Self::Slots) -> Result<Reading, Absent> {
        settled([id.settle("id"), taken_at.present("taken_at")])?;
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
    assert!(alias.settle("limit").is_ok());
    assert_eq!(alias.value(), None);
    let mut plain: Slot<u8> = Slot::default();
    let error = plain.settle("limit").unwrap_err();
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

/// A struct of more than twelve fields: its slots nest, as the generator writes them, and each
/// key still reaches its own slot.
#[derive(Debug, PartialEq)]
struct Wide {
    fields: Vec<u8>,
}

impl<'de> serde::Deserialize<'de> for Wide {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const NAMES: &[&str] =
            &["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13"];
        object(deserializer, "Wide", NAMES)
    }
}

type Twelve = (
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
    Slot<u8>,
);

impl<'de> Fields<'de> for Wide {
    type Slots = (Twelve, (Slot<u8>, Slot<u8>));
    fn slot(key: &str) -> Option<usize> {
        key.strip_prefix('f')?.parse().ok().filter(|&i: &usize| i < 14)
    }
    fn build(((f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11), (f12, f13)): Self::Slots) -> Result<Wide, Absent> {
        let fields = [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13];
        Ok(Wide { fields: fields.into_iter().map(|slot| slot.or_else(|| 99)).collect() })
    }
}

#[test]
fn each_key_of_a_wide_struct_reaches_its_own_slot_through_the_nested_tuples() {
    let wide: Wide =
        serde_json::from_str(r#"{"f13": 13, "f0": 0, "f11": 11, "f12": 12, "other": [1], "f": 1, "f14": 14}"#).unwrap();
    let mut expected = vec![99u8; 14];
    for i in [0, 11, 12, 13] {
        expected[i] = i as u8;
    }
    assert_eq!(wide.fields, expected);
    let error = serde_json::from_str::<Wide>(r#"{"f12": "twelve"}"#).unwrap_err();
    assert_eq!(error.to_string(), "invalid type: string \"twelve\", expected u8 at line 1 column 16");
}

/// A struct with a three-state field, as the generator writes it: the slot reads `Option<T>`.
#[derive(Debug, PartialEq)]
struct Patch {
    note: Option<Option<String>>,
}

impl<'de> serde::Deserialize<'de> for Patch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object(deserializer, "Patch", &["note"])
    }
}

impl<'de> Fields<'de> for Patch {
    type Slots = (Slot<Option<String>>,);
    fn slot(key: &str) -> Option<usize> {
        (key == "note").then_some(0)
    }
    fn build((note,): Self::Slots) -> Result<Patch, Absent> {
        Ok(Patch { note: note.taken() })
    }
}

#[test]
fn a_three_state_field_tells_absent_from_null_from_a_value() {
    let read = |json: &str| serde_json::from_str::<Patch>(json).unwrap().note;
    assert_eq!(read("{}"), None);
    assert_eq!(read(r#"{"note": null}"#), Some(None));
    assert_eq!(read(r#"{"note": "n"}"#), Some(Some("n".into())));
}

/// A struct without fields, as the generator writes it: no slot, every key skipped.
#[derive(Debug, PartialEq)]
struct Nothing {}

impl<'de> serde::Deserialize<'de> for Nothing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object(deserializer, "Nothing", &[])
    }
}

impl<'de> Fields<'de> for Nothing {
    type Slots = ();
    fn slot(_key: &str) -> Option<usize> {
        None
    }
    fn build((): Self::Slots) -> Result<Nothing, Absent> {
        Ok(Nothing {})
    }
}

#[test]
fn a_struct_without_fields_skips_every_key() {
    assert_eq!(serde_json::from_str::<Nothing>(r#"{"a": [1, {"b": null}], "c": "d"}"#).unwrap(), Nothing {});
    assert!(serde_json::from_str::<Nothing>("[]").is_err(), "still an object");
}
