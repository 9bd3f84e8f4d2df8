//! Checks of the values a generated builder is given, before it builds the request or the body.

use super::Error;

/// The values a builder was given (its setters' results, one per parameter and the body), or
/// an error with every setter's message joined, so a caller fixes every broken value in one
/// run.
///
/// One call, taking a tuple, rather than a check and a `?` per value in each `send`: the time
/// `cargo check` takes on a large client grows with the code of every `send`, and each `?`
/// adds an exit that drops every value bound before it.
///
/// # Errors
/// `Error::InvalidRequest` when any value is broken.
#[allow(clippy::result_large_err)]
pub fn all_valid<C: Checked, E>(checked: C) -> Result<C::Values, Error<E>> {
    checked.values().map_err(Error::InvalidRequest)
}

/// A tuple of setter results, `(Result<A, String>, Result<B, String>, ...)`, of 2 to
/// [`MOST_CHECKED`] values.
pub trait Checked {
    /// The tuple of the values.
    type Values;

    /// The values, or every error's message joined with `; `.
    ///
    /// # Errors
    /// When any result is an error.
    fn values(self) -> Result<Self::Values, String>;
}

/// The most values [`all_valid`] takes at once; the generator checks more with a call per value.
pub const MOST_CHECKED: usize = 16;

macro_rules! checked_tuple {
    ($($value:ident: $type:ident),+) => {
        impl<$($type),+> Checked for ($(Result<$type, String>,)+) {
            type Values = ($($type,)+);

            fn values(self) -> Result<Self::Values, String> {
                match self {
                    ($(Ok($value),)+) => Ok(($($value,)+)),
                    ($($value,)+) => Err(joined(&[$($value.as_ref().err()),+]).unwrap_or_default()),
                }
            }
        }
    };
}

checked_tuple!(a: A, b: B);
checked_tuple!(a: A, b: B, c: C);
checked_tuple!(a: A, b: B, c: C, d: D);
checked_tuple!(a: A, b: B, c: C, d: D, e: E);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L, m: M);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L, m: M, n: N);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L, m: M, n: N, o: O);
checked_tuple!(a: A, b: B, c: C, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L, m: M, n: N, o: O, p: P);

/// Fails with every message among `problems` (`None` where the value is fine), joined; `Ok`
/// when there is none: for more values than [`all_valid`] takes.
///
/// # Errors
/// `Error::InvalidRequest` when any value is broken.
#[allow(clippy::result_large_err)]
pub fn all_of_valid<E>(problems: &[Option<&String>]) -> Result<(), Error<E>> {
    match joined(problems) {
        None => Ok(()),
        Some(messages) => Err(Error::InvalidRequest(messages)),
    }
}

/// Every message among `problems`, joined with `; `, or `None` when there is none: what a
/// type's builder reports when it builds the value (every broken field at once).
pub fn joined(problems: &[Option<&String>]) -> Option<String> {
    let messages: Vec<&str> = problems.iter().flatten().map(|message| message.as_str()).collect();
    (!messages.is_empty()).then(|| messages.join("; "))
}

/// The value of a field that [`joined`] found unbroken: a builder checks every field first and
/// then builds its type from this infallible call, not from a `?` per field (an early return
/// per field, each dropping the others, which made the conversion slower to type-check).
///
/// # Panics
/// Only for a field that holds an error, which `joined` has ruled out where this is called.
pub fn checked<T>(field: Result<T, String>) -> T {
    match field {
        Ok(value) => value,
        Err(_) => unreachable!("a builder's fields are checked by `joined` before they are taken"),
    }
}

/// A setter's conversion: its error becomes `"{context}: {reason}"`, the reason being the
/// conversion's own (typify's "longer than 4 characters"). One generic function rather than a
/// closure and a `format!` in each of the thousands of setters a large client has.
///
/// # Errors
/// When `result` is an error, as described.
pub fn with_reason<T, E: std::fmt::Display>(result: Result<T, E>, context: &str) -> Result<T, String> {
    result.map_err(|reason| format!("{context}: {reason}"))
}
