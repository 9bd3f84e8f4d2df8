//! Why a call returned no value: [`Error`].
//!
//! progenitor-client has a type of this name with these variants; the runtime owns its own so
//! that a documented error is a [`ResponseValue`] that keeps the body the server sent (see
//! `value.rs`). The variants and methods are progenitor's, so code written against either reads
//! the same.

use super::ResponseValue;

/// What a generated client's call fails with.
///
/// `E` is the operation's error type: one documented error body, an enum of them per status
/// (the module's `errors`), or `()` when no error status documents a body.
pub enum Error<E = ()> {
    /// The request was not built: a value broke the spec's rules, or a credential or
    /// parameter could not be a header. Nothing was sent.
    InvalidRequest(String),
    /// The request did not get an answer: connection, TLS or timeout.
    CommunicationError(reqwest::Error),
    /// A connection upgrade failed.
    InvalidUpgrade(reqwest::Error),
    /// A documented error status, its body decoded as documented; the body as sent is
    /// [`ResponseValue::raw_body`].
    ErrorResponse(ResponseValue<E>),
    /// Reading a documented answer's body failed.
    ResponseBodyError(reqwest::Error),
    /// A streamed item that is not the documented JSON: its bytes and why.
    InvalidResponsePayload(bytes::Bytes, serde_json::Error),
    /// An answer the spec does not describe (a status it does not list, or a documented body
    /// that does not decode), whole: `BodyExcerpt::decode_failure` says where decoding failed.
    UnexpectedResponse(reqwest::Response),
    /// Anything else, said in words: a middleware's error, a stream that could not resume.
    Custom(String),
}

impl<E> Error<E> {
    /// The answer's status, when there was an answer.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::InvalidRequest(_) | Error::Custom(_) | Error::InvalidResponsePayload(..) => None,
            Error::CommunicationError(e) | Error::InvalidUpgrade(e) | Error::ResponseBodyError(e) => e.status(),
            Error::ErrorResponse(value) => Some(value.status()),
            Error::UnexpectedResponse(response) => Some(response.status()),
        }
    }

    /// Whether the same call may succeed later: a failed connection or timeout, or a status
    /// that says so (408, 429, 502, 503, 504).
    pub fn is_retryable(&self) -> bool {
        let transient = |status: reqwest::StatusCode| matches!(status.as_u16(), 408 | 429 | 502..=504);
        match self {
            Error::CommunicationError(_) => true,
            Error::InvalidUpgrade(e) | Error::ResponseBodyError(e) => e.status().is_some_and(transient),
            Error::ErrorResponse(value) => transient(value.status()),
            Error::UnexpectedResponse(response) => transient(response.status()),
            Error::InvalidRequest(_) | Error::InvalidResponsePayload(..) | Error::Custom(_) => false,
        }
    }

    /// The same error without its typed body (status, headers and raw body kept), to handle
    /// the errors of operations with different error types in one place.
    pub fn into_untyped(self) -> Error {
        match self {
            Error::InvalidRequest(s) => Error::InvalidRequest(s),
            Error::CommunicationError(e) => Error::CommunicationError(e),
            Error::InvalidUpgrade(e) => Error::InvalidUpgrade(e),
            Error::ErrorResponse(value) => Error::ErrorResponse(value.map_inner(|_| ())),
            Error::ResponseBodyError(e) => Error::ResponseBodyError(e),
            Error::InvalidResponsePayload(bytes, e) => Error::InvalidResponsePayload(bytes, e),
            Error::UnexpectedResponse(response) => Error::UnexpectedResponse(response),
            Error::Custom(s) => Error::Custom(s),
        }
    }
}

impl<E> From<std::convert::Infallible> for Error<E> {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(e: reqwest::Error) -> Self {
        Self::CommunicationError(e)
    }
}

impl<E> From<reqwest::header::InvalidHeaderValue> for Error<E> {
    fn from(e: reqwest::header::InvalidHeaderValue) -> Self {
        Self::InvalidRequest(e.to_string())
    }
}

impl<E: std::fmt::Debug> std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::InvalidRequest(s) => write!(f, "Invalid Request: {s}")?,
            Error::CommunicationError(e) => write!(f, "Communication Error: {e}")?,
            Error::InvalidUpgrade(e) => write!(f, "Invalid Response Upgrade: {e}")?,
            Error::ErrorResponse(value) => {
                write!(
                    f,
                    "Error Response: status: {}; headers: {:?}; value: {:?}",
                    value.status(),
                    value.headers(),
                    **value
                )?;
            }
            Error::ResponseBodyError(e) => write!(f, "Invalid Response Body Bytes: {e}")?,
            Error::InvalidResponsePayload(bytes, e) => write!(f, "Invalid Response Payload ({bytes:?}): {e}")?,
            Error::UnexpectedResponse(response) => write!(f, "Unexpected Response: {response:?}")?,
            Error::Custom(s) => write!(f, "Error: {s}")?,
        }
        // `{:#}` adds the chain of causes.
        if f.alternate() {
            use std::error::Error as _;
            let mut cause = self.source().and_then(std::error::Error::source);
            while let Some(next) = cause {
                write!(f, ": {next}")?;
                cause = next.source();
            }
        }
        Ok(())
    }
}

impl<E: std::fmt::Debug> std::fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl<E: std::fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::CommunicationError(e) | Error::InvalidUpgrade(e) | Error::ResponseBodyError(e) => Some(e),
            Error::InvalidResponsePayload(_, e) => Some(e),
            _ => None,
        }
    }
}
