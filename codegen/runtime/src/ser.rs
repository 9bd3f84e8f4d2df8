//! What the generated `Serialize` of a plain struct needs (see the generator's
//! `lean_deserialize`): its fields written through one function.
//!
//! serde's derive writes, for every struct, a `serialize_field` call and an early return per
//! field, each generic over the serializer. Here each field is a `&dyn erased_serde::Serialize`
//! in a slice, so the per-struct code is a list, and the loop over it is checked once.

use serde::ser::{SerializeStruct, Serializer};

/// One field as written: its documented name, and its value unless it is skipped.
pub type Field<'a> = (&'static str, Option<&'a dyn erased_serde::Serialize>);

/// Writes struct `name` with `fields` in order, as serde's derive does: the length given to the
/// serializer counts the fields written; a skipped field is `skip_field`.
///
/// # Errors
/// A value the serializer refuses.
pub fn fields<S: Serializer>(serializer: S, name: &'static str, fields: &[Field<'_>]) -> Result<S::Ok, S::Error> {
    let written = fields.iter().filter(|(_, value)| value.is_some()).count();
    let mut state = serializer.serialize_struct(name, written)?;
    for (key, value) in fields {
        match value {
            Some(value) => state.serialize_field(key, *value)?,
            None => state.skip_field(key)?,
        }
    }
    state.end()
}

/// `value`, or `None` when `skip` (the field's `skip_serializing_if` said so).
pub fn unless(skip: bool, value: &dyn erased_serde::Serialize) -> Option<&dyn erased_serde::Serialize> {
    (!skip).then_some(value)
}
