//! What the generated `Deserialize` of a plain struct or a string enum needs (see the
//! generator's `lean_deserialize` and `lean_string_enums`): object keys and string values read
//! without copying when the input allows, and the value of a field the object leaves out, as
//! serde's derive decides it.
//!
//! serde's derive also writes, for every struct, a field-name visitor for strings, bytes and
//! integers and a `visit_seq` that decodes the struct from an array. No API sends either, and
//! type-checking them was about a tenth of `cargo check` on a large client.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};

/// A JSON object key.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Text("a field name")).map(Key)
    }
}

/// A string value (a string enum's), borrowed when the input allows.
///
/// # Errors
/// The value is not a string.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    deserializer.deserialize_str(Text("a string"))
}

/// Reads a string; expects what it names.
struct Text(&'static str);

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// The value of field `field` when the object leaves it out: `None` for an `Option`, the error
/// "missing field" for anything else, as serde's derive does.
///
/// # Errors
/// "missing field `field`" unless `T` reads an absent value as `None`.
pub fn missing<'de, T: serde::Deserialize<'de>, E: de::Error>(field: &'static str) -> Result<T, E> {
    T::deserialize(Missing { field, error: PhantomData })
}

/// A deserializer with no value: `deserialize_option` sees `None`, everything else fails.
struct Missing<E> {
    field: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.field))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A struct read from a JSON object: its slots, which slot a key fills, and how the struct is
/// built from its slots once the object is read.
///
/// Its `Deserialize` calls [`object`], whose one generic visitor reads the keys and fills the
/// slots, so that a struct's own code is not generic over the input: `slot` matches a key
/// with its names as constants (a scan of a list of names in the runtime decoded GitHub's
/// repositories 1.6 times slower), and `build` checks the fields that must be there and takes
/// their values. Type-checking a `visit_map` generic over `MapAccess` per struct was a tenth
/// of `cargo check` of GitHub's client.
pub trait Fields<'de>: Sized {
    /// One [`Slot`] per field, in field order, as a tree of tuples (see [`Slots`]).
    type Slots: Slots<'de>;

    /// The slot (its index in field order) the value of `key` goes to; `None` for a key the
    /// struct does not know.
    fn slot(key: &str) -> Option<usize>;

    /// Builds the struct from its filled slots.
    ///
    /// # Errors
    /// A field that must be there is missing.
    fn build(slots: Self::Slots) -> Result<Self, Absent>;
}

/// Reads struct `T`, named `name` with fields `fields` (their documented names), from a JSON
/// object: what serde's derive does with its own visitor. Keys go to the slots
/// [`Fields::slot`] gives them; other keys are skipped.
///
/// # Errors
/// The value is not an object, a field's value does not decode, or [`Fields::build`] fails.
pub fn object<'de, T: Fields<'de>, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(name, fields, Object { name, read: PhantomData })
}

/// The visitor of [`object`].
struct Object<T> {
    name: &'static str,
    read: PhantomData<T>,
}

impl<'de, T: Fields<'de>> Visitor<'de> for Object<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = T::Slots::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match T::slot(key.as_str()) {
                Some(index) => slots.fill(index, &mut map)?,
                None => skip(&mut map)?,
            }
        }
        T::build(slots).map_err(Absent::into_error)
    }
}

/// A struct's slots, in field order: one [`Slot`], or a tuple of up to twelve slot lists. The
/// generator nests tuples for a struct of more than twelve fields (a tuple implements
/// `Default` up to twelve).
pub trait Slots<'de>: Default {
    /// How many fields.
    const LEN: usize;

    /// Reads the value of the key just read into field `index`.
    ///
    /// # Errors
    /// The value does not decode as the field's type.
    fn fill<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;
}

/// A key seen twice keeps its last value.
impl<'de, T: serde::Deserialize<'de>> Slots<'de> for Slot<T> {
    const LEN: usize = 1;
    fn fill<A: MapAccess<'de>>(&mut self, _index: usize, map: &mut A) -> Result<(), A::Error> {
        self.0 = Some(map.next_value()?);
        Ok(())
    }
}

macro_rules! tuple_slots {
    ($($part:ident $at:tt),*) => {
        impl<'de, $($part: Slots<'de>),*> Slots<'de> for ($($part,)*) {
            const LEN: usize = 0 $(+ $part::LEN)*;
            #[allow(unused_mut, unused_variables, unused_assignments)]
            fn fill<A: MapAccess<'de>>(&mut self, mut index: usize, map: &mut A) -> Result<(), A::Error> {
                $(
                    if index < $part::LEN {
                        return self.$at.fill(index, map);
                    }
                    index -= $part::LEN;
                )*
                // Past the last field: no key maps here, but read the value all the same.
                skip(map)
            }
        }
    };
}

tuple_slots!();
tuple_slots!(S0 0);
tuple_slots!(S0 0, S1 1);
tuple_slots!(S0 0, S1 1, S2 2);
tuple_slots!(S0 0, S1 1, S2 2, S3 3);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7, S8 8);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7, S8 8, S9 9);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7, S8 8, S9 9, S10 10);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7, S8 8, S9 9, S10 10, S11 11);

/// Why [`Fields::build`] failed, in no input's error type: the visitor of [`object`] turns it
/// into the input's own (`serde_json`'s "missing field `id` at line 1 column 2").
#[derive(Debug)]
pub enum Absent {
    /// A field that must be there is missing.
    Field(&'static str),
    /// Another error, from a field type's reading of an absent value.
    Other(String),
}

impl Absent {
    fn into_error<E: de::Error>(self) -> E {
        match self {
            Absent::Field(field) => E::missing_field(field),
            Absent::Other(message) => E::custom(message),
        }
    }
}

impl fmt::Display for Absent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Absent::Field(field) => write!(f, "missing field `{field}`"),
            Absent::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Absent {}

impl de::Error for Absent {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Absent::Other(message.to_string())
    }
    fn missing_field(field: &'static str) -> Self {
        Absent::Field(field)
    }
}

/// One field's value while an object is read: empty until its key is seen.
pub struct Slot<T>(Option<T>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(None)
    }
}

impl<'de, T: serde::Deserialize<'de>> Slot<T> {
    /// Settles an absent field as serde's derive would: `None` for a type that reads an absent
    /// value as `None` (an `Option` behind an alias), else the error "missing field". After
    /// `Ok`, [`Slot::value`] has a value to give.
    ///
    /// # Errors
    /// As [`missing`].
    pub fn settle(&mut self, field: &'static str) -> Result<(), Absent> {
        if self.0.is_none() {
            self.0 = Some(missing(field)?);
        }
        Ok(())
    }

    /// The value, or `default()` when the field is absent.
    pub fn or_else(self, default: impl FnOnce() -> T) -> T {
        self.0.unwrap_or_else(default)
    }
}

impl<T> Slot<T> {
    /// The value as read, `None` when the key was absent: a three-state field's
    /// (`Option<Option<T>>`, see [`super::explicit_null`]), whose slot reads an `Option<T>`, so
    /// that `null` is `Some(None)`.
    pub fn taken(self) -> Option<T> {
        self.0
    }

    /// Checks a field that must be present even when it may be `null`. After `Ok`,
    /// [`Slot::value`] has a value to give.
    ///
    /// # Errors
    /// "missing field `field`" when it is absent.
    pub fn present(&self, field: &'static str) -> Result<(), Absent> {
        match self.0 {
            Some(_) => Ok(()),
            None => Err(Absent::Field(field)),
        }
    }

    /// The value of a slot that [`Slot::settle`] or [`Slot::present`] has checked.
    ///
    /// A [`Fields::build`] checks every such slot first, in one [`settled`], and then builds
    /// its struct from infallible calls: a fallible call per field (`take(..)?`) is an early
    /// return per field, each dropping the other slots. Without them a crate of 1,500 readers
    /// type-checks a quarter faster, and GitHub's client about 4 %.
    ///
    /// # Panics
    /// Only if the slot was not checked, which the generated code never does.
    pub fn value(self) -> T {
        match self.0 {
            Some(value) => value,
            None => unreachable!("a slot is checked by `settle` or `present` before its value is taken"),
        }
    }
}

/// The first error of a struct's checks of its fields, in field order.
///
/// # Errors
/// That first error.
pub fn settled<E, const N: usize>(checks: [Result<(), E>; N]) -> Result<(), E> {
    checks.into_iter().collect()
}

impl<T> Slot<Option<T>> {
    /// The value of an `Option` field: `None` when absent, as serde's derive gives it, without
    /// a call that could fail.
    pub fn optional(self) -> Option<T> {
        self.0.flatten()
    }
}

/// Reads and drops the value of a key the struct does not know.
///
/// # Errors
/// The value is not well-formed.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}
