//! Checks of the values a generated builder is given, before it builds the request or the body.

use progenitor_client::Error;

/// Fails with every message among `problems` (the setters' conversion errors, one per
/// parameter and the body, `None` where the value is fine), joined, so a caller fixes every
/// broken value in one run; `Ok` when there is none.
///
/// A function rather than code in each `send`: the time `cargo check` takes on a large client
/// grows with the code of every `send`.
///
/// # Errors
/// `Error::InvalidRequest` when any value is broken.
// The error type is progenitor's, which the generated methods return.
#[allow(clippy::result_large_err)]
pub fn all_valid<E>(problems: &[Option<&String>]) -> Result<(), Error<E>> {
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

/// A setter's conversion: its error becomes `"{context}: {reason}"`, the reason being the
/// conversion's own (typify's "longer than 4 characters"). One generic function rather than a
/// closure and a `format!` in each of the thousands of setters a large client has.
///
/// # Errors
/// When `result` is an error, as described.
pub fn with_reason<T, E: std::fmt::Display>(result: Result<T, E>, context: &str) -> Result<T, String> {
    result.map_err(|reason| format!("{context}: {reason}"))
}
