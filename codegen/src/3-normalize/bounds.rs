//! Integer bounds that the schema's own format cannot hold.
//!
//! A JavaScript doc renderer prints `2^63 - 1` as `9223372036854776000`, one past what an `int64`
//! can hold. The bound meant is the format's limit, so it is clamped to it, with a warning in the
//! report; a generator would otherwise pick a wider type or reject the schema.

use serde_json::{Map, Value};

use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

/// The range of an integer `format`; no format means a 64-bit signed integer.
fn range_of(format: Option<&str>) -> Option<(i128, i128)> {
    Some(match format {
        Some("int8") => (i8::MIN.into(), i8::MAX.into()),
        Some("int16") => (i16::MIN.into(), i16::MAX.into()),
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("int64") | None => (i64::MIN.into(), i64::MAX.into()),
        Some("uint8") => (0, u8::MAX.into()),
        Some("uint16") => (0, u16::MAX.into()),
        Some("uint32") => (0, u32::MAX.into()),
        Some("uint64") => (0, u64::MAX.into()),
        Some(_) => return None,
    })
}

/// Clamps `minimum`/`maximum` of an integer schema into its format's range.
pub fn clamp_integer_bounds(object: &mut Map<String, Value>, at: &str, changes: &mut Vec<Change>) {
    if object.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    let format = object.get("format").and_then(Value::as_str).map(str::to_owned);
    let Some((low, high)) = range_of(format.as_deref()) else { return };
    for keyword in ["minimum", "maximum"] {
        let Some(value) = object.get_mut(keyword) else { continue };
        let Some(number) = as_i128(value) else { continue };
        let clamped = number.clamp(low, high);
        if clamped != number {
            let after = if clamped < 0 { Value::from(clamped as i64) } else { Value::from(clamped as u64) };
            changes.push(
                Change::new(Stage::Normalize, Rule::IntegerBoundClamped, pointer::child(at, keyword))
                    .values(Some(value.clone()), Some(after.clone()))
                    .note(format!(
                        "does not fit the schema's format ({}); clamped to the format's limit",
                        format.as_deref().unwrap_or("integer, read as int64")
                    )),
            );
            *value = after;
        }
    }
}

fn as_i128(value: &Value) -> Option<i128> {
    let n = value.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i.into());
    }
    if let Some(u) = n.as_u64() {
        return Some(u.into());
    }
    let f = n.as_f64()?;
    // Float bounds beyond i128 cannot matter: they are clamped to a 64-bit range anyway.
    (f.fract() == 0.0).then(|| f.clamp(i128::MIN as f64, i128::MAX as f64) as i128)
}
