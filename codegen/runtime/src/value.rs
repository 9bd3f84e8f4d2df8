//! A decoded answer with the status and headers it came with, and for a documented error the
//! body the server sent.
//!
//! progenitor-client has a type of this name and shape; the runtime owns its own because a
//! typed error must keep what the server said beside the value decoded from it: an error
//! schema rarely documents every field a server sends (a `detail`, a trace id, a message in
//! another member), and a caller reporting the error needs them. The methods are progenitor's,
//! so code written against either reads the same.

use std::ops::{Deref, DerefMut};

/// The most of an error body a [`ResponseValue`] keeps: enough for any message, bounded so an
/// error page of megabytes is not held by every error value that is passed around.
pub const RAW_BODY_LIMIT: usize = 64 * 1024;

/// A value decoded from a response, with its status and headers.
///
/// Successful calls return one; a documented error status is one inside
/// `Error::ErrorResponse`, which also keeps the body as sent ([`ResponseValue::raw_body`]).
pub struct ResponseValue<T> {
    inner: T,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    raw_body: Option<bytes::Bytes>,
}

impl<T> ResponseValue<T> {
    /// A value with the status and headers it came with (for test fixtures and test doubles).
    pub fn new(inner: T, status: reqwest::StatusCode, headers: reqwest::header::HeaderMap) -> Self {
        Self { inner, status, headers, raw_body: None }
    }

    /// The same value keeping `body`, the bytes it was decoded from (at most
    /// [`RAW_BODY_LIMIT`] of them: a longer body is cut there).
    #[must_use]
    pub fn with_raw_body(mut self, body: bytes::Bytes) -> Self {
        let kept =
            if body.len() > RAW_BODY_LIMIT { bytes::Bytes::copy_from_slice(&body[..RAW_BODY_LIMIT]) } else { body };
        self.raw_body = Some(kept);
        self
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The response's status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The body as the server sent it, for a documented error (its first [`RAW_BODY_LIMIT`]
    /// bytes): what the server said that the error's schema does not describe. `None` for a
    /// success, whose body is the value, and for an error status documented without a body.
    pub fn raw_body(&self) -> Option<&[u8]> {
        self.raw_body.as_deref()
    }

    /// The `Content-Length` header's value, when present and a number.
    pub fn content_length(&self) -> Option<u64> {
        self.headers.get(reqwest::header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
    }

    /// The same answer around `f` of its value: status, headers and raw body kept.
    pub fn map_inner<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        let Self { inner, status, headers, raw_body } = self;
        ResponseValue { inner: f(inner), status, headers, raw_body }
    }

    /// [`ResponseValue::map_inner`] as progenitor-client spells it.
    ///
    /// # Errors
    /// Never: the `Result` is progenitor-client's signature.
    #[doc(hidden)]
    pub fn map<U, F, E>(self, f: F) -> Result<ResponseValue<U>, E>
    where
        F: FnOnce(T) -> U,
    {
        Ok(self.map_inner(f))
    }
}

impl ResponseValue<()> {
    /// A response whose status is documented without a body.
    #[doc(hidden)]
    pub fn empty(response: reqwest::Response) -> Self {
        Self::new((), response.status(), response.headers().clone())
    }
}

impl ResponseValue<progenitor_client::ByteStream> {
    /// The body's byte stream.
    pub fn into_inner_stream(
        self,
    ) -> std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send + Sync>> {
        self.into_inner().into_inner()
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> AsRef<T> for ResponseValue<T> {
    fn as_ref(&self) -> &T {
        &self.inner
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ResponseValue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<T> super::BodyExcerpt for ResponseValue<T> {
    fn body_excerpt(&self) -> Option<String> {
        self.raw_body.as_deref().map(super::response::excerpt)
    }

    fn decode_failure(&self) -> Option<&super::DecodeFailure> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_raw_body_is_cut_at_the_limit_and_a_short_one_kept_whole() {
        let value = ResponseValue::new((), reqwest::StatusCode::BAD_REQUEST, Default::default());
        let long = value.with_raw_body(bytes::Bytes::from(vec![b'x'; RAW_BODY_LIMIT + 10]));
        assert_eq!(long.raw_body().map(<[u8]>::len), Some(RAW_BODY_LIMIT));
        let short = long.map_inner(|()| 7).with_raw_body(bytes::Bytes::from_static(b"{\"detail\":\"no\"}"));
        assert_eq!(short.raw_body(), Some(&b"{\"detail\":\"no\"}"[..]));
        assert_eq!(*short, 7);
    }
}
