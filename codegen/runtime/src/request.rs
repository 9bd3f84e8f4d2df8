//! Checks a generated `send` makes before it builds the request.

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
    let messages: Vec<&str> = problems.iter().flatten().map(|message| message.as_str()).collect();
    if messages.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidRequest(messages.join("; ")))
    }
}
