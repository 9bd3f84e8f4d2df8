//! Answers that stream: server-sent events (`text/event-stream`), JSON streams
//! (`application/x-ndjson`, `application/jsonl`, `application/json-seq`), each item decoded into
//! the documented type as it arrives, and binary bodies handed on chunk by chunk ([`bytes()`]).
//!
//! The parsers are incremental and take the body in whatever chunks the network delivers: a
//! chunk may end inside a line, inside a `\r\n`, or inside a UTF-8 sequence. Server-sent events
//! follow the WHATWG rules (HTML, "Parsing an event stream"): lines end with CR, LF or CRLF; a
//! BOM at the start is skipped; a line starting with `:` is a comment; `field: value` with one
//! optional space after the colon; `data` lines of one event are joined with `\n`; a blank line
//! dispatches the event; an event without data is not dispatched; `id` (without NUL) and
//! `retry` (digits only) are remembered. The sentinel chat APIs send (`data: [DONE]`, or the one
//! the API documents) ends the stream cleanly. An event named `error` is the operation's error
//! when its data decodes as the error type ([`Reading::error_event`]).
//!
//! Every stream is read by one loop (`read`) over a parser (`Records`): the stream is read
//! without the call's deadline (a stream may last hours); instead, each wait for the next chunk
//! is limited by the idle timeout ([`IDLE_TIMEOUT`] unless the caller says otherwise). When the
//! operation documents `Last-Event-ID`, a broken event stream is resumed: the request is sent
//! again with the last event id, after the server's `retry` time ([`Reading::reconnect`]).
//! Dropping the stream drops the response, which closes the connection.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::{Error, ResponseValue};
use futures_util::stream::{self, Stream, StreamExt};
use progenitor_client::ByteStream;

/// How long a stream may stay silent (no byte at all, comments and keep-alives included) before
/// it fails with an error item, unless the call's options set another ([`super::RequestOptions`]).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// The data a chat API sends to say the stream is over, unless the API documents another.
pub const DONE: &str = "[DONE]";

/// How long to wait before resuming a broken event stream when the server sent no `retry`.
const RECONNECTION_TIME: Duration = Duration::from_secs(3);

/// Reconnections in a row, without an item in between, before a broken stream is given up.
const MOST_RECONNECTIONS: u32 = 3;

/// One server-sent event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    /// Its type (the `event` field), when the server named one; `message` otherwise.
    pub event: Option<String>,
    /// Its data, decoded.
    pub data: T,
    /// The last event id the server set (the `id` field, remembered across events).
    pub id: Option<String>,
    /// The reconnection time the server asked for (`retry`), when it sent one with this event.
    pub retry: Option<Duration>,
}

/// A server-sent event as the parser reads it, before its data is decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawEvent {
    /// The `event` field, if any.
    pub event: Option<String>,
    /// The `data` lines, joined with `\n`.
    pub data: String,
    /// The last event id, if any.
    pub id: Option<String>,
    /// The `retry` field, in milliseconds, if this event set one.
    pub retry: Option<u64>,
}

/// The WHATWG event-stream parser, fed chunk by chunk.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of a line not yet ended.
    line: Vec<u8>,
    /// Whether the last byte was a CR, so an LF right after it ends nothing.
    after_cr: bool,
    /// Whether the start of the stream (and its BOM) is behind.
    started: bool,
    /// The event being read.
    data: String,
    has_data: bool,
    event: Option<String>,
    retry: Option<u64>,
    /// The last event id, which outlives each event (and a reconnection).
    last_id: Option<String>,
    /// The last `retry` the server sent, in milliseconds: how long to wait before reconnecting.
    reconnection_time: Option<u64>,
}

impl SseParser {
    /// The events `chunk` completes, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<RawEvent> {
        let mut out = Vec::new();
        let mut chunk = chunk;
        if !self.started {
            let wanted = 3usize.saturating_sub(self.line.len());
            let take = wanted.min(chunk.len());
            self.line.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if self.line.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.line) {
                return out;
            }
            self.started = true;
            let head = std::mem::take(&mut self.line);
            let head = head.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&head).to_vec();
            self.bytes(&head, &mut out);
        }
        self.bytes(chunk, &mut out);
        out
    }

    fn bytes(&mut self, bytes: &[u8], out: &mut Vec<RawEvent>) {
        for &byte in bytes {
            match byte {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\r' | b'\n' => {
                    self.after_cr = byte == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.line_ended(&String::from_utf8_lossy(&line)) {
                        out.push(event);
                    }
                }
                _ => {
                    self.after_cr = false;
                    self.line.push(byte);
                }
            }
        }
    }

    fn line_ended(&mut self, line: &str) -> Option<RawEvent> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_string()),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
                self.reconnection_time = self.retry;
            }
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<RawEvent> {
        let event = self.event.take().filter(|e| !e.is_empty());
        let retry = self.retry.take();
        if !self.has_data {
            return None;
        }
        self.has_data = false;
        Some(RawEvent { event, data: std::mem::take(&mut self.data), id: self.last_id.clone(), retry })
    }
}

/// A JSON stream's parser: one value per line (`x-ndjson`, `jsonl`; blank lines skipped), or per
/// record-separator-prefixed record (`json-seq`, RFC 7464), fed chunk by chunk.
#[derive(Debug, Default)]
pub struct LinesParser {
    pending: Vec<u8>,
}

impl LinesParser {
    /// The records `chunk` completes, each one JSON text (not yet decoded).
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for &byte in chunk {
            if byte == b'\n' || byte == 0x1E {
                self.flush(&mut out);
            } else {
                self.pending.push(byte);
            }
        }
        out
    }

    /// The last record, when the stream ended without a final newline.
    pub fn finish(&mut self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        self.flush(&mut out);
        out
    }

    fn flush(&mut self, out: &mut Vec<Vec<u8>>) {
        let record = std::mem::take(&mut self.pending);
        let trimmed = record.trim_ascii();
        if !trimmed.is_empty() {
            out.push(trimmed.to_vec());
        }
    }
}

/// A parser of a streamed body into records, fed chunk by chunk: what [`read`] needs to know of
/// each kind of stream.
trait Records: Send + 'static {
    /// What the parser yields: an event, a JSON text.
    type Record: Send + 'static;
    /// The records `chunk` completes, in order.
    fn feed(&mut self, chunk: &[u8]) -> Vec<Self::Record>;
    /// The records left when the body ends.
    fn finish(&mut self) -> Vec<Self::Record>;
    /// Forgets the partial record of a broken connection before reading a new one; what
    /// outlives a connection (the last event id) stays.
    fn reconnected(&mut self) {}
    /// The id to resume from (`Last-Event-ID`), if the server set one.
    fn last_id(&self) -> Option<String> {
        None
    }
    /// How long the server asked clients to wait before reconnecting, if it said.
    fn reconnection_time(&self) -> Option<Duration> {
        None
    }
}

impl Records for SseParser {
    type Record = RawEvent;

    fn feed(&mut self, chunk: &[u8]) -> Vec<RawEvent> {
        SseParser::feed(self, chunk)
    }

    /// An event not ended by a blank line is never dispatched (WHATWG).
    fn finish(&mut self) -> Vec<RawEvent> {
        Vec::new()
    }

    fn reconnected(&mut self) {
        *self = SseParser {
            last_id: self.last_id.take(),
            reconnection_time: self.reconnection_time,
            ..SseParser::default()
        };
    }

    fn last_id(&self) -> Option<String> {
        self.last_id.clone()
    }

    fn reconnection_time(&self) -> Option<Duration> {
        self.reconnection_time.map(Duration::from_millis)
    }
}

impl Records for LinesParser {
    type Record = Vec<u8>;

    fn feed(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        LinesParser::feed(self, chunk)
    }

    fn finish(&mut self) -> Vec<Vec<u8>> {
        LinesParser::finish(self)
    }
}

/// Sends the request again to resume a broken stream, given the last event id: what
/// [`resuming`] builds from the first request.
#[doc(hidden)]
pub type Reconnect<E> =
    Box<dyn FnMut(Option<String>) -> Pin<Box<dyn Future<Output = Result<reqwest::Response, Error<E>>> + Send>> + Send>;

/// How an event stream is read, as the generated `events()` says from the documentation.
#[doc(hidden)]
pub struct Reading<E> {
    /// The longest silence before the stream fails.
    pub idle: Duration,
    /// The data that ends the stream ([`DONE`] unless the API documents another).
    pub sentinel: &'static str,
    /// Decodes the data of an event named `error` as the operation's error, when it has one
    /// type: such an event is then that error, the stream's last item.
    pub error_event: Option<fn(&str) -> Option<E>>,
    /// Resumes a broken stream, when the operation documents `Last-Event-ID` ([`resuming`]).
    pub reconnect: Option<Reconnect<E>>,
    /// The event names, when the item type has one variant per name (`{"<event>": <data>}`):
    /// each event's data is decoded under its name (`message` when it has none), and an event of
    /// another name (a keep-alive, a type added later) is passed over.
    pub named: Option<&'static [&'static str]>,
}

/// An event's data decoded as `T`, leniently: under its event name when the type has a variant
/// per name; text that is no JSON as a JSON string; an object whose `data` member is the
/// documented item (the spec described the envelope, the server sent it too) as that member.
fn decode_data<T: serde::de::DeserializeOwned>(
    event: Option<&str>,
    data: &str,
    named: bool,
) -> Result<T, serde_json::Error> {
    let value = serde_json::from_str::<serde_json::Value>(data).unwrap_or_else(|_| data.into());
    if named {
        let tagged = serde_json::Value::Object([(event.unwrap_or("message").to_string(), value)].into_iter().collect());
        return T::deserialize(tagged);
    }
    match T::deserialize(&value) {
        Ok(item) => Ok(item),
        Err(error) => match value.get("data") {
            Some(inner) => T::deserialize(inner).map_err(|_| error),
            None => Err(error),
        },
    }
}

/// A [`Reconnect`] that sends `template` again with `send`, its `Last-Event-ID` header set to
/// the last event id.
#[doc(hidden)]
pub fn resuming<E, F, Fut>(template: reqwest::Request, mut send: F) -> Reconnect<E>
where
    F: FnMut(reqwest::Request) -> Fut + Send + 'static,
    Fut: Future<Output = Result<reqwest::Response, Error<E>>> + Send + 'static,
    E: 'static,
{
    Box::new(move |last_id: Option<String>| {
        let Some(mut request) = template.try_clone() else {
            return Box::pin(async { Err(Error::Custom("the request cannot be sent again".into())) });
        };
        if let Some(value) = last_id.and_then(|id| reqwest::header::HeaderValue::from_str(&id).ok()) {
            request.headers_mut().insert("last-event-id", value);
        }
        Box::pin(send(request))
    })
}

/// What a record decodes into.
enum Next<T, E> {
    /// An item; an error is the stream's last.
    Item(Result<T, Error<E>>),
    /// Nothing for the caller (an event of a name the type does not know).
    Skip,
    /// The end of the stream (its sentinel).
    End,
}

/// The one loop every stream is read with: chunks fed to `parser` within the idle timeout, each
/// record decoded, the stream resumed after a break when it can be.
struct Reader<P: Records, E> {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    parser: P,
    ready: VecDeque<P::Record>,
    over: bool,
    idle: Duration,
    reconnect: Option<Reconnect<E>>,
    /// Reconnections since the last item.
    reconnections: u32,
}

impl<P: Records, E> Reader<P, E> {
    /// After the connection broke with `message`: a new connection, or the error to end with.
    async fn resume(&mut self, message: String) -> Result<(), Error<E>> {
        let Some(reconnect) = self.reconnect.as_mut() else { return Err(Error::Custom(message)) };
        if self.reconnections >= MOST_RECONNECTIONS {
            return Err(Error::Custom(format!("{message}; given up after {MOST_RECONNECTIONS} reconnections")));
        }
        self.reconnections += 1;
        tokio::time::sleep(self.parser.reconnection_time().unwrap_or(RECONNECTION_TIME)).await;
        let response = reconnect(self.parser.last_id()).await?;
        // WHATWG: 204 No Content tells the client to stop reconnecting.
        if response.status() == reqwest::StatusCode::NO_CONTENT {
            self.over = true;
        } else if !response.status().is_success() {
            return Err(Error::UnexpectedResponse(response));
        }
        self.body = Box::pin(response.bytes_stream());
        self.parser.reconnected();
        Ok(())
    }
}

/// The items of `response`'s body as `parser` splits it and `decode` decodes each record.
fn read<P, T, E, D>(
    response: reqwest::Response,
    parser: P,
    idle: Duration,
    reconnect: Option<Reconnect<E>>,
    decode: D,
) -> impl Stream<Item = Result<T, Error<E>>> + Unpin + Send
where
    P: Records,
    D: FnMut(P::Record) -> Next<T, E> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let reader = Reader {
        body: Box::pin(response.bytes_stream()),
        parser,
        ready: VecDeque::new(),
        over: false,
        idle,
        reconnect,
        reconnections: 0,
    };
    Box::pin(stream::unfold((reader, decode), |(mut reader, mut decode)| async move {
        loop {
            if let Some(record) = reader.ready.pop_front() {
                match decode(record) {
                    Next::Item(Ok(item)) => {
                        reader.reconnections = 0;
                        return Some((Ok(item), (reader, decode)));
                    }
                    Next::Item(Err(error)) => {
                        reader.over = true;
                        reader.ready.clear();
                        return Some((Err(error), (reader, decode)));
                    }
                    Next::Skip => {}
                    Next::End => return None,
                }
            }
            if reader.over {
                return None;
            }
            match next_chunk(&mut reader.body, reader.idle).await {
                Some(Ok(chunk)) => {
                    let records = reader.parser.feed(&chunk);
                    reader.ready.extend(records);
                }
                Some(Err(broken)) => {
                    if let Err(error) = reader.resume(broken.to_string()).await {
                        reader.over = true;
                        return Some((Err(error), (reader, decode)));
                    }
                }
                None => {
                    reader.over = true;
                    let rest = reader.parser.finish();
                    reader.ready.extend(rest);
                }
            }
        }
    }))
}

/// Why a body stream stopped before its end.
enum Broken {
    /// No byte for this long.
    Idle(Duration),
    /// The connection failed.
    Failed(reqwest::Error),
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Idle(idle) => write!(f, "no data for {idle:?}; the stream is given up"),
            Broken::Failed(error) => write!(f, "the stream broke off: {error}"),
        }
    }
}

/// What the body stream yields next: a chunk, its end, or why it broke off.
async fn next_chunk<S>(body: &mut S, idle: Duration) -> Option<Result<bytes::Bytes, Broken>>
where
    S: Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin + ?Sized,
{
    match tokio::time::timeout(idle, body.next()).await {
        Ok(Some(Ok(chunk))) => Some(Ok(chunk)),
        Ok(Some(Err(error))) => Some(Err(Broken::Failed(error))),
        Ok(None) => None,
        Err(_) => Some(Err(Broken::Idle(idle))),
    }
}

/// The events of a `text/event-stream` response, each `data` decoded as `T`; the stream ends at
/// the body's end or at the sentinel. An event named `error` whose data decodes as the
/// operation's error is that error; one that decodes as neither is an error saying what the
/// server sent. A broken connection (unless resumed), an idle timeout or data that does not
/// decode is an error item; an error item is the last.
#[doc(hidden)]
pub fn events<T, E>(
    response: reqwest::Response,
    reading: Reading<E>,
) -> impl Stream<Item = Result<Event<T>, Error<E>>> + Unpin + Send
where
    T: serde::de::DeserializeOwned + Send + 'static,
    E: Send + 'static,
{
    let (status, headers) = (response.status(), response.headers().clone());
    let Reading { idle, sentinel, error_event, reconnect, named } = reading;
    read(response, SseParser::default(), idle, reconnect, move |raw: RawEvent| {
        if raw.data == sentinel {
            return Next::End;
        }
        let name = raw.event.as_deref().unwrap_or("message");
        if named.is_some_and(|names| !names.contains(&name)) && name != "error" {
            return Next::Skip;
        }
        let decoded = decode_data::<T>(raw.event.as_deref(), &raw.data, named.is_some());
        if raw.event.as_deref() == Some("error") {
            if let Some(error) = error_event.and_then(|decode| decode(&raw.data)) {
                let value =
                    ResponseValue::new(error, status, headers.clone()).with_raw_body(raw.data.into_bytes().into());
                return Next::Item(Err(Error::ErrorResponse(value)));
            }
            if decoded.is_err() {
                return Next::Item(Err(Error::Custom(format!("the server sent an error event: {}", raw.data))));
            }
        }
        Next::Item(match decoded {
            Ok(data) => Ok(Event { event: raw.event, data, id: raw.id, retry: raw.retry.map(Duration::from_millis) }),
            Err(error) => Err(Error::InvalidResponsePayload(raw.data.into_bytes().into(), error)),
        })
    })
}

/// The values of a JSON stream response (`x-ndjson`, `jsonl`, `json-seq`), each decoded as `T`.
/// A broken connection, an idle timeout or a value that does not decode is an error item, after
/// which the stream ends.
pub fn lines<T, E>(
    response: reqwest::Response,
    idle: Duration,
) -> impl Stream<Item = Result<T, Error<E>>> + Unpin + Send
where
    T: serde::de::DeserializeOwned + Send + 'static,
    E: Send + 'static,
{
    read(response, LinesParser::default(), idle, None, |record: Vec<u8>| {
        Next::Item(
            serde_json::from_slice::<T>(&record).map_err(|error| Error::InvalidResponsePayload(record.into(), error)),
        )
    })
}

/// A binary answer's body, handed on chunk by chunk as it arrives: never read whole, with no
/// deadline but the idle timeout between chunks: a silence longer than `idle` is an error item
/// of the byte stream (its source an `io::Error` of kind `TimedOut`), and its last.
pub fn bytes(response: reqwest::Response, idle: Duration) -> ResponseValue<ByteStream> {
    let (status, headers) = (response.status(), response.headers().clone());
    let timed = stream::unfold(Some(Box::pin(response.bytes_stream())), move |body| async move {
        let mut body = body?;
        match next_chunk(&mut body, idle).await {
            Some(Ok(chunk)) => Some((Ok(chunk), Some(body))),
            Some(Err(Broken::Idle(idle))) => {
                let message = Broken::Idle(idle).to_string();
                Some((Err(std::io::Error::new(std::io::ErrorKind::TimedOut, message)), None))
            }
            Some(Err(Broken::Failed(error))) => Some((Err(std::io::Error::other(error)), None)),
            None => None,
        }
    });
    let rebuilt = reqwest::Response::from(http::Response::new(reqwest::Body::wrap_stream(timed)));
    ResponseValue::new(ByteStream::new(Box::pin(rebuilt.bytes_stream())), status, headers)
}

/// The error of a streaming call whose answer was not a success: `outcome` is what decoding
/// its status gave, always an error (a documented status that is not one is said so).
#[doc(hidden)]
pub fn failed<E>(outcome: Result<super::ResponseValue<()>, Error<E>>) -> Error<E> {
    match outcome {
        Err(error) => error,
        Ok(value) => Error::Custom(format!("the answer had status {} and no stream", value.status())),
    }
}
