//! Three states for an optional field the documentation lets the caller set to `null` ("use
//! null to remove the saved value"): left out (`None`), `null` (`Some(None)`), or a value
//! (`Some(Some(value))`). Generated structs use it as `#[serde(with)]` on such fields, beside
//! `default` and `skip_serializing_if = "Option::is_none"`, so leaving the field out sends
//! nothing and `Some(None)` sends `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `null` for `Some(None)` and the value for `Some(Some(value))` (`None` is skipped by
/// the field's `skip_serializing_if`, and written as `null` if it ever gets here).
///
/// # Errors
/// The serializer's own.
#[allow(clippy::ref_option)] // serde's `with` passes a reference to the field.
pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Reads a present field: `null` as `Some(None)`, a value as `Some(Some(value))` (an absent one
/// is the field's `default`, `None`).
///
/// # Errors
/// When the value is not a `T`.
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
