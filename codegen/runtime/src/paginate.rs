//! Every item of a list operation, page after page, as one stream.
//!
//! The generator recognizes how an operation pages (a cursor parameter and a next-cursor
//! field, `starting_after` and `has_more`, an offset or page number, a `next` URL, a
//! `Link: rel="next"` header) and emits a `stream()` method on its builder. That method gives
//! [`items`] the first request and a `step` saying, from the request just sent and the page it
//! got, what comes next. Each page is sent like any call of the client: with its credentials,
//! retries and time limits. The stream ends at the first error, which it yields.

use std::future::Future;

/// What a caller needs to read a stream (`stream.try_next().await?`, `.try_collect()`), without
/// depending on `futures` themselves.
pub use futures_util::{Stream, StreamExt, TryStreamExt};

use super::{Error, ResponseValue};

/// What follows a page.
pub enum Next<B> {
    /// The same request with the next cursor, offset or page set.
    Send(B),
    /// A URL the page gave (a `next` field, a `Link` header), on the same origin.
    Get(reqwest::Url),
    /// This was the last page.
    Done,
}

/// The stream of items of every page: `first` is sent with `send`; after each page, `step`
/// says what comes next, a URL being fetched with `get`; `items` takes each page's items.
pub fn items<'a, B, P, T, E, Send, SendFuture, Get, GetFuture>(
    first: B,
    send: Send,
    get: Get,
    step: fn(&B, &ResponseValue<P>) -> Next<B>,
    items: fn(P) -> Vec<T>,
) -> impl Stream<Item = Result<T, Error<E>>> + Unpin + 'a
where
    B: Clone + 'a,
    P: 'a,
    T: 'a,
    E: 'a,
    Send: Fn(B) -> SendFuture + Clone + 'a,
    SendFuture: Future<Output = Result<ResponseValue<P>, Error<E>>> + 'a,
    Get: Fn(reqwest::Url) -> GetFuture + Clone + 'a,
    GetFuture: Future<Output = Result<ResponseValue<P>, Error<E>>> + 'a,
{
    enum State<B> {
        Send(B),
        Get(B, reqwest::Url),
        Done,
    }
    // A page pointing at itself would never end the stream.
    let repeats = |state: &State<B>, next: &reqwest::Url| matches!(state, State::Get(_, current) if current == next);
    let pages = futures_util::stream::try_unfold(State::Send(first), move |state| {
        let (send, get) = (send.clone(), get.clone());
        async move {
            let (request, page) = match &state {
                State::Done => return Ok::<_, Error<E>>(None),
                State::Send(request) => (request.clone(), send(request.clone()).await?),
                State::Get(request, url) => (request.clone(), get(url.clone()).await?),
            };
            let following = match step(&request, &page) {
                Next::Send(next) => State::Send(next),
                Next::Get(url) if !repeats(&state, &url) => State::Get(request, url),
                Next::Get(_) | Next::Done => State::Done,
            };
            Ok(Some((items(page.into_inner()), following)))
        }
    });
    Box::pin(pages.map_ok(|page| futures_util::stream::iter(page.into_iter().map(Ok))).try_flatten())
}

/// Fetches a page at `url` (from a `next` field or a `Link` header) as the operation's other
/// pages are sent: credentials, retries, time limits, and its body decoded as `P`. A URL on
/// another origin than `base` is refused, so credentials never go to a host the client was
/// not given.
///
/// # Errors
/// `InvalidRequest` for a URL on another origin; otherwise as any call.
#[allow(clippy::result_large_err)]
pub async fn get<P: serde::de::DeserializeOwned, E>(
    client: &reqwest::Client,
    config: &super::ClientConfig,
    operation: &super::Operation,
    base: &str,
    url: reqwest::Url,
) -> Result<ResponseValue<P>, Error<E>> {
    let same_origin = reqwest::Url::parse(base).is_ok_and(|base| base.origin() == url.origin());
    if !same_origin {
        return Err(Error::InvalidRequest(format!(
            "{}: the next page is on another origin than {base}; not following it",
            operation.id
        )));
    }
    let mut request = reqwest::Request::new(reqwest::Method::GET, url);
    request
        .headers_mut()
        .insert(reqwest::header::ACCEPT, reqwest::header::HeaderValue::from_static("application/json"));
    super::pre(config, operation, &mut request).await?;
    let response = super::exec(client, config, operation, request).await.map_err(super::Failure::into_error)?;
    if !response.status().is_success() {
        return Err(Error::UnexpectedResponse(response));
    }
    super::decode(response).await
}

/// The URL a page gave for the next one, resolved against `current`'s URL and kept only when
/// it is on the same origin (see [`get`]).
pub fn next_url(current: &str, next: Option<String>) -> Option<reqwest::Url> {
    let next = next.filter(|n| !n.trim().is_empty())?;
    reqwest::Url::parse(current).ok()?.join(&next).ok()
}

/// The `rel="next"` target of a `Link` header (RFC 8288), resolved against `current`.
pub fn link_next(headers: &reqwest::header::HeaderMap, current: &str) -> Option<reqwest::Url> {
    let links = headers.get_all(reqwest::header::LINK).iter().filter_map(|v| v.to_str().ok());
    let next = links.flat_map(|value| value.split(',')).find_map(|link| {
        let (target, parameters) = link.split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let next = parameters.split(';').any(|p| {
            let p = p.trim().to_ascii_lowercase().replace(' ', "");
            p.strip_prefix("rel=").is_some_and(|rel| rel.trim_matches('"').split_whitespace().any(|r| r == "next"))
        });
        next.then(|| target.to_string())
    })?;
    next_url(current, Some(next))
}

/// The items of a page: an array, or an optional one (absent: no items).
pub trait Items<T> {
    /// The items, taken out of the page.
    fn into_items(self) -> Vec<T>;
    /// How many there are.
    fn item_count(&self) -> usize;
    /// The last one.
    fn last_item(&self) -> Option<&T>;
}

impl<T> Items<T> for Vec<T> {
    fn into_items(self) -> Vec<T> {
        self
    }
    fn item_count(&self) -> usize {
        self.len()
    }
    fn last_item(&self) -> Option<&T> {
        self.last()
    }
}

impl<T> Items<T> for Option<Vec<T>> {
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
    fn item_count(&self) -> usize {
        self.as_ref().map_or(0, Vec::len)
    }
    fn last_item(&self) -> Option<&T> {
        self.as_ref().and_then(|items| items.last())
    }
}

/// A cursor read from a page: text, a number, or either optional. An empty text is no cursor.
pub trait Cursor {
    /// The cursor as text, or `None` when there is none.
    fn cursor(&self) -> Option<String>;
}

impl Cursor for String {
    fn cursor(&self) -> Option<String> {
        (!self.trim().is_empty()).then(|| self.clone())
    }
}

impl<T: Cursor> Cursor for Option<T> {
    fn cursor(&self) -> Option<String> {
        self.as_ref().and_then(Cursor::cursor)
    }
}

impl<T: Cursor, E> Cursor for Result<T, E> {
    fn cursor(&self) -> Option<String> {
        self.as_ref().ok().and_then(Cursor::cursor)
    }
}

/// A count read from a page (`total`, `total_pages`): any integer, or one optional.
pub trait Number {
    /// The value, when there is one and it is not negative.
    fn number(&self) -> Option<u64>;
}

/// An integer type a position parameter (`offset`, `page`) can have, read and built from `u64`.
pub trait Whole: Sized {
    /// The value as `u64`, when it is not negative.
    fn to_u64(&self) -> Option<u64>;
    /// The value `n`, when this type can hold it.
    fn from_u64(n: u64) -> Option<Self>;
}

macro_rules! wholes {
    ($($t:ty),*) => {$(
        impl Whole for $t {
            fn to_u64(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
            fn from_u64(n: u64) -> Option<Self> {
                Self::try_from(n).ok()
            }
        }
        impl Number for $t {
            fn number(&self) -> Option<u64> {
                self.to_u64()
            }
        }
        impl Cursor for $t {
            fn cursor(&self) -> Option<String> {
                Some(self.to_string())
            }
        }
    )*};
}
wholes!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! non_zero {
    ($($t:ty => $inner:ty),*) => {$(
        impl Whole for $t {
            fn to_u64(&self) -> Option<u64> {
                u64::try_from(self.get()).ok()
            }
            fn from_u64(n: u64) -> Option<Self> {
                <$inner>::try_from(n).ok().and_then(Self::new)
            }
        }
        impl Number for $t {
            fn number(&self) -> Option<u64> {
                self.to_u64()
            }
        }
    )*};
}
non_zero!(
    std::num::NonZeroU8 => u8, std::num::NonZeroU16 => u16, std::num::NonZeroU32 => u32, std::num::NonZeroU64 => u64,
    std::num::NonZeroI8 => i8, std::num::NonZeroI16 => i16, std::num::NonZeroI32 => i32, std::num::NonZeroI64 => i64
);

/// A 64-bit integer written as decimal text, as gRPC gateways send `int64` fields and take
/// `int64` parameters (`offset: "100"`).
impl Whole for String {
    fn to_u64(&self) -> Option<u64> {
        self.trim().parse().ok()
    }
    fn from_u64(n: u64) -> Option<Self> {
        Some(n.to_string())
    }
}

impl Number for String {
    fn number(&self) -> Option<u64> {
        self.to_u64()
    }
}

impl Number for f64 {
    fn number(&self) -> Option<u64> {
        (self.is_finite() && *self >= 0.0).then_some(*self as u64)
    }
}

impl<T: Number> Number for Option<T> {
    fn number(&self) -> Option<u64> {
        self.as_ref().and_then(Number::number)
    }
}

/// A position parameter as a builder holds it: `Result<T, String>` when required,
/// `Result<Option<T>, String>` when optional.
pub trait Position {
    /// The parameter's type.
    type Value;
    /// The position sent, when set.
    fn position(&self) -> Option<u64>;
}

impl<T: Whole, E> Position for Result<Option<T>, E> {
    type Value = T;
    fn position(&self) -> Option<u64> {
        self.as_ref().ok()?.as_ref()?.to_u64()
    }
}

impl<T: Whole, E> Position for Result<T, E> {
    type Value = T;
    fn position(&self) -> Option<u64> {
        self.as_ref().ok()?.to_u64()
    }
}

/// `n` in the type of the position parameter `field`, when that type can hold it.
pub fn position_at<P: Position>(_field: &P, n: u64) -> Option<P::Value>
where
    P::Value: Whole,
{
    P::Value::from_u64(n)
}

/// A flag read from a page (`has_more`): a boolean, or one optional.
pub trait Flag {
    /// The flag, when there is one.
    fn flag(&self) -> Option<bool>;
}

impl Flag for bool {
    fn flag(&self) -> Option<bool> {
        Some(*self)
    }
}

impl<T: Flag> Flag for Option<T> {
    fn flag(&self) -> Option<bool> {
        self.as_ref().and_then(Flag::flag)
    }
}
