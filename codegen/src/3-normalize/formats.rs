//! A string `format` that the schema's other constraints leave no value for.

use serde_json::{Map, Value};

use crate::report::{Change, Rule, Stage};

/// A format the generator types, with the length range of its spellings and a check of one.
struct TypedFormat {
    name: &'static str,
    shortest: usize,
    longest: usize,
    spelled: fn(&str) -> bool,
}

/// The formats the generator types (`uuid::Uuid`, `chrono` dates).
const TYPED_FORMATS: [TypedFormat; 3] = [
    TypedFormat { name: "uuid", shortest: 32, longest: 45, spelled: looks_like_uuid },
    TypedFormat { name: "date-time", shortest: 20, longest: 35, spelled: looks_like_date_time },
    TypedFormat { name: "date", shortest: 10, longest: 10, spelled: looks_like_date },
];

/// `format: uuid` with `maxLength: 24` (the vendor's ids are 24 hex digits), `format:
/// date-time` with `enum: [now]`: no value is both, and the generated client types the field
/// by its format (`uuid::Uuid`), so no value the vendor documents can be sent or read. The
/// lengths and the listed values are what the vendor's values are; the format is the stray
/// part, and is dropped (the field stays a string).
pub fn drop_contradicted_format(schema: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    let Some(format) = schema.get("format").and_then(Value::as_str) else { return };
    let Some(&TypedFormat { shortest, longest, spelled, .. }) = TYPED_FORMATS.iter().find(|f| f.name == format) else {
        return;
    };
    let bound = |keyword: &str| schema.get(keyword).and_then(Value::as_u64).map(|n| n as usize);
    let too_short = bound("maxLength").is_some_and(|max| max < shortest);
    let too_long = bound("minLength").is_some_and(|min| min > longest);
    let values: Vec<&str> =
        schema.get("enum").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let unlisted = !values.is_empty() && !values.iter().any(|value| spelled(value));
    let why = match (too_short || too_long, unlisted) {
        (true, _) => format!("no `{format}` value has the length the schema allows"),
        (_, true) => format!("no listed value is a `{format}`"),
        _ => return,
    };
    let before = schema.remove("format");
    changes.push(
        Change::new(Stage::Normalize, Rule::ContradictedFormatDropped, crate::model::pointer::child(at, "format"))
            .values(before, None)
            .note(format!("{why}: the field is read and sent as a plain string")),
    );
}

fn looks_like_uuid(value: &str) -> bool {
    let hex: String = value.chars().filter(|c| *c != '-').collect();
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

fn looks_like_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

fn looks_like_date_time(value: &str) -> bool {
    value.len() >= 20
        && value.is_char_boundary(10)
        && looks_like_date(&value[..10])
        && value[10..].starts_with(['T', 't'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_are_told_apart() {
        assert!(looks_like_uuid("8f4e7a52-3c1b-4d6e-9a2f-0b1c2d3e4f50"));
        assert!(!looks_like_uuid("536e564f316c83104c000020"));
        assert!(looks_like_date_time("2024-01-02T03:04:05Z"));
        assert!(!looks_like_date_time("now"));
        assert!(looks_like_date("2024-01-02") && !looks_like_date("tomorrow"));
    }
}
