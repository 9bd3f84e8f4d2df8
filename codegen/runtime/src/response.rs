//! Responses read whole when their body may need reporting, and typed access to headers.

use std::time::Duration;

/// A response body read whole, kept beside the response it came with.
#[derive(Clone, Debug)]
struct BufferedBody(bytes::Bytes);

/// How much of a body errors show.
const EXCERPT_BYTES: usize = 512;

/// What a response is besides its body: kept while the body is read, to build the response
/// again around the bytes.
#[derive(Clone)]
struct Head {
    status: reqwest::StatusCode,
    version: reqwest::Version,
    headers: reqwest::header::HeaderMap,
    url: reqwest::Url,
}

impl Head {
    fn of(response: &reqwest::Response) -> Self {
        Self {
            status: response.status(),
            version: response.version(),
            headers: response.headers().clone(),
            url: response.url().clone(),
        }
    }

    /// The response again, around `body`, which is kept as its [`BufferedBody`].
    fn with_body(&self, body: bytes::Bytes) -> reqwest::Response {
        use reqwest::ResponseBuilderExt as _;
        let mut builder = http::Response::builder().status(self.status).version(self.version).url(self.url.clone());
        if let Some(map) = builder.headers_mut() {
            *map = self.headers.clone();
        }
        let mut response = builder.body(body.clone()).expect("parts taken from a valid response");
        response.extensions_mut().insert(BufferedBody(body));
        reqwest::Response::from(response)
    }
}

/// A response's head and its body, read whole.
async fn read_whole(response: reqwest::Response) -> reqwest::Result<(Head, bytes::Bytes)> {
    let head = Head::of(&response);
    Ok((head, response.bytes().await?))
}

/// Reads the body of a response whose status the operation documents with a JSON body, or
/// does not document at all, so that a body that does not decode can be reported with its
/// status and headers. Other responses (streams) are passed on untouched. For a status
/// documented without a body beside others with one (`empty_as_null`), an empty body is read
/// as `null`: the operation's type is optional for exactly that.
///
/// # Errors
/// When reading the body fails.
pub async fn buffer(
    response: reqwest::Response,
    json_statuses: &[u16],
    documented: &[u16],
    empty_as_null: &[u16],
) -> reqwest::Result<reqwest::Response> {
    let status = response.status().as_u16();
    if !json_statuses.contains(&status) && documented.contains(&status) {
        return Ok(response);
    }
    let (head, mut body) = read_whole(response).await?;
    if empty_as_null.contains(&status) && body.iter().all(u8::is_ascii_whitespace) {
        body = bytes::Bytes::from_static(b"null");
    }
    Ok(head.with_body(body))
}

/// For a status documented with a JSON body, a body that is not JSON (empty, HTML, cut short):
/// the response again, whole, to report as unexpected with its status and headers.
pub fn undecodable(response: &reqwest::Response, json_statuses: &[u16]) -> Option<reqwest::Response> {
    if !json_statuses.contains(&response.status().as_u16()) {
        return None;
    }
    let BufferedBody(body) = response.extensions().get::<BufferedBody>()?;
    let error = serde_json::from_slice::<serde::de::IgnoredAny>(body).err()?;
    let mut unexpected = Head::of(response).with_body(body.clone());
    // Where and why, as for a body that is JSON of the wrong shape: `decode_failure()` says it.
    unexpected.extensions_mut().insert(DecodeFailure { path: ".".into(), message: error.to_string() });
    Some(unexpected)
}

/// Where and why a documented JSON body did not decode into its documented type. A response
/// returned as `Error::UnexpectedResponse` carries one when that is why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeFailure {
    /// Where in the body decoding failed, as serde names it (`data[0].id`; `.` for the root).
    pub path: String,
    /// What was wrong there (serde's message, which names the expected and found types).
    pub message: String,
}

impl std::fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

/// Decodes a documented JSON body into `T`, keeping status and headers. A body that does not
/// decode comes back as `Error::UnexpectedResponse`, whole, with its status and headers and a
/// [`DecodeFailure`] saying where it failed (see [`BodyExcerpt::decode_failure`]); its `Display`
/// never shows the body.
///
/// # Errors
/// Reading the body fails, or the body does not decode, as described.
#[allow(clippy::result_large_err)]
pub async fn decode<T: serde::de::DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<super::ResponseValue<T>, super::Error<E>> {
    let (head, body) = read_whole(response).await.map_err(super::Error::ResponseBodyError)?;
    decode_read(head, body)
}

/// [`decode`] of a response whose body is read.
#[allow(clippy::result_large_err)]
fn decode_read<T: serde::de::DeserializeOwned, E>(
    head: Head,
    body: bytes::Bytes,
) -> Result<super::ResponseValue<T>, super::Error<E>> {
    use super::{Error, ResponseValue};
    let mut deserializer = serde_json::Deserializer::from_slice(&body);
    let decoded = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| DecodeFailure { path: e.path().to_string(), message: e.into_inner().to_string() })
        .and_then(|value| match deserializer.end() {
            Ok(()) => Ok(value),
            Err(e) => Err(DecodeFailure { path: ".".into(), message: e.to_string() }),
        });
    match decoded {
        Ok(inner) => Ok(ResponseValue::new(inner, head.status, head.headers)),
        Err(failure) => {
            let mut response = head.with_body(body);
            response.extensions_mut().insert(failure);
            Err(Error::UnexpectedResponse(response))
        }
    }
}

/// [`decode`] for an error status whose body has its own type: decodes it as `T` and returns
/// it as `Error::ErrorResponse`, wrapped in the operation's error variant for that status.
///
/// One call (and one `.await`) per status arm keeps each generated `send` small: the time
/// `cargo check` takes on a large client grows with the code of every `send`.
///
/// # Errors
/// Always: the decoded error, or what [`decode`] fails with.
#[allow(clippy::result_large_err)]
pub async fn decode_error<T: serde::de::DeserializeOwned + serde::Serialize, E, V>(
    response: reqwest::Response,
    variant: fn(T) -> E,
) -> Result<super::ResponseValue<V>, super::Error<E>> {
    let (head, body) = read_whole(response).await.map_err(super::Error::ResponseBodyError)?;
    let value = decode_error_read::<T, E>(head, body)?;
    Err(super::Error::ErrorResponse(value.map_inner(variant)))
}

/// [`decode`] for an error status whose body is the operation's one error type `E`: returns it
/// as `Error::ErrorResponse`, in one call as [`decode_error`] does.
///
/// # Errors
/// Always: the decoded error, or what [`decode`] fails with.
#[allow(clippy::result_large_err)]
pub async fn decode_as_error<E: serde::de::DeserializeOwned + serde::Serialize, V>(
    response: reqwest::Response,
) -> Result<super::ResponseValue<V>, super::Error<E>> {
    let (head, body) = read_whole(response).await.map_err(super::Error::ResponseBodyError)?;
    Err(super::Error::ErrorResponse(decode_error_read::<E, E>(head, body)?))
}

/// [`decode_read`] for an error body, which the value keeps as sent (`raw_body()`): what the
/// server said beyond the error's schema is not lost. One that decodes into a value holding
/// nothing (every field of its type optional, none of them sent) while the body holds
/// something is the unexpected response it is, whole.
#[allow(clippy::result_large_err)]
fn decode_error_read<T: serde::de::DeserializeOwned + serde::Serialize, E>(
    head: Head,
    body: bytes::Bytes,
) -> Result<super::ResponseValue<T>, super::Error<E>> {
    let value = decode_read::<T, E>(head.clone(), body.clone())?;
    let empty = |v: &serde_json::Value| match v {
        serde_json::Value::Object(map) => map.is_empty(),
        serde_json::Value::Null => true,
        _ => false,
    };
    let kept = serde_json::to_value(&*value).ok();
    let sent = serde_json::from_slice::<serde_json::Value>(&body).ok();
    match (kept, sent) {
        (Some(kept), Some(sent)) if empty(&kept) && !empty(&sent) => {
            let mut response = head.with_body(body);
            let failure = DecodeFailure {
                path: ".".into(),
                message: "the body has none of the documented error's fields; it is returned whole".into(),
            };
            response.extensions_mut().insert(failure);
            Err(super::Error::UnexpectedResponse(response))
        }
        _ => Ok(value.with_raw_body(body)),
    }
}

/// Sends an operation's request (`exchange`, or why it could not be built) and turns the
/// response, its body read whole, into the operation's result with `outcome`, which awaits
/// nothing: each arm of its status match is [`decoded`], [`decoded_error`],
/// [`decoded_as_error`] or a response without a body.
///
/// Why: an operation's `send` that is an `async fn` is a state machine of its own, and
/// type- and borrow-checking 1,222 of them was a tenth of `cargo check` on GitHub's client.
/// A plain `send` returning this one generic future costs a call and a closure. Operations
/// that stream their body keep an `async fn send`.
///
/// # Errors
/// What `exchange` fails with, reading the body, or what `outcome` returns.
#[allow(clippy::result_large_err)]
pub async fn respond<T, E, F>(
    exchange: Result<F, super::Error<E>>,
    outcome: impl FnOnce(reqwest::Response) -> Result<super::ResponseValue<T>, super::Error<E>>,
) -> Result<super::ResponseValue<T>, super::Error<E>>
where
    F: std::future::Future<Output = Result<reqwest::Response, super::Error<E>>>,
{
    let response = exchange?.await?;
    if response.extensions().get::<BufferedBody>().is_some() {
        return outcome(response);
    }
    let (head, body) = read_whole(response).await.map_err(super::Error::ResponseBodyError)?;
    outcome(head.with_body(body))
}

/// [`decode`] without awaiting, for a response [`respond`] read whole.
///
/// # Errors
/// As [`decode`]; a response whose body was not read (not one [`respond`] passed) is
/// `Error::Custom` saying so.
#[allow(clippy::result_large_err)]
pub fn decoded<T: serde::de::DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<super::ResponseValue<T>, super::Error<E>> {
    let (head, body) = read_already(&response)?;
    decode_read(head, body)
}

/// The head and body of a response [`respond`] read whole.
///
/// # Errors
/// `Error::Custom` for a response whose body was not read.
#[allow(clippy::result_large_err)]
fn read_already<E>(response: &reqwest::Response) -> Result<(Head, bytes::Bytes), super::Error<E>> {
    match response.extensions().get::<BufferedBody>() {
        Some(BufferedBody(body)) => Ok((Head::of(response), body.clone())),
        None => {
            Err(super::Error::Custom("the response body was not read before decoding (decode it with `decode`)".into()))
        }
    }
}

/// [`decode_error`] without awaiting, for a response [`respond`] read whole.
///
/// # Errors
/// Always: the decoded error, or what [`decoded`] fails with.
#[allow(clippy::result_large_err)]
pub fn decoded_error<T: serde::de::DeserializeOwned + serde::Serialize, E, V>(
    response: reqwest::Response,
    variant: fn(T) -> E,
) -> Result<super::ResponseValue<V>, super::Error<E>> {
    let value = decoded_error_value::<T, E>(response)?;
    Err(super::Error::ErrorResponse(value.map_inner(variant)))
}

/// [`decode_as_error`] without awaiting, for a response [`respond`] read whole.
///
/// # Errors
/// Always: the decoded error, or what [`decoded`] fails with.
#[allow(clippy::result_large_err)]
pub fn decoded_as_error<E: serde::de::DeserializeOwned + serde::Serialize, V>(
    response: reqwest::Response,
) -> Result<super::ResponseValue<V>, super::Error<E>> {
    Err(super::Error::ErrorResponse(decoded_error_value::<E, E>(response)?))
}

/// [`decode_error_read`] of a response [`respond`] read whole.
#[allow(clippy::result_large_err)]
fn decoded_error_value<T: serde::de::DeserializeOwned + serde::Serialize, E>(
    response: reqwest::Response,
) -> Result<super::ResponseValue<T>, super::Error<E>> {
    let (head, body) = read_already(&response)?;
    decode_error_read(head, body)
}

/// The start of a response body the client read whole, as text, for error messages.
pub trait BodyExcerpt {
    /// Up to 512 bytes of the body (lossily decoded), or `None` for a streamed body.
    fn body_excerpt(&self) -> Option<String>;

    /// Why a documented body did not decode, when that is why the response is unexpected.
    fn decode_failure(&self) -> Option<&DecodeFailure>;
}

impl BodyExcerpt for reqwest::Response {
    fn decode_failure(&self) -> Option<&DecodeFailure> {
        self.extensions().get::<DecodeFailure>()
    }

    fn body_excerpt(&self) -> Option<String> {
        let BufferedBody(body) = self.extensions().get::<BufferedBody>()?;
        Some(excerpt(body))
    }
}

/// Up to [`EXCERPT_BYTES`] of `body` as text, lossily, `…` marking a cut.
pub(super) fn excerpt(body: &[u8]) -> String {
    let end = body.len().min(EXCERPT_BYTES);
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > end {
        text.push('…');
    }
    text
}

/// Typed access to the response headers APIs commonly document, on success and on error.
pub trait ResponseHeaders {
    /// The response's headers.
    fn header_map(&self) -> &reqwest::header::HeaderMap;

    /// A header's value as text.
    fn header_str(&self, name: &str) -> Option<&str> {
        self.header_map().get(name)?.to_str().ok()
    }

    /// `X-RateLimit-Limit`: requests allowed in the window.
    fn rate_limit_limit(&self) -> Option<u64> {
        self.header_str("x-ratelimit-limit")?.trim().parse().ok()
    }

    /// `X-RateLimit-Remaining`: requests left in the window.
    fn rate_limit_remaining(&self) -> Option<u64> {
        self.header_str("x-ratelimit-remaining")?.trim().parse().ok()
    }

    /// `Retry-After` as a wait, from seconds or an HTTP date.
    fn retry_after(&self) -> Option<Duration> {
        super::retry::retry_after(self.header_map())
    }

    /// `Location`: where a created resource is.
    fn location(&self) -> Option<&str> {
        self.header_str("location")
    }
}

impl<T> ResponseHeaders for super::ResponseValue<T> {
    fn header_map(&self) -> &reqwest::header::HeaderMap {
        self.headers()
    }
}

impl ResponseHeaders for reqwest::Response {
    fn header_map(&self) -> &reqwest::header::HeaderMap {
        self.headers()
    }
}
