//! Answers that stream: server-sent events (`text/event-stream`) and JSON streams
//! (`application/x-ndjson`, `application/jsonl`, `application/json-seq`), each item decoded into
//! the documented type as it arrives.
//!
//! The parsers are incremental and take the body in whatever chunks the network delivers: a
//! chunk may end inside a line, inside a `\r\n`, or inside a UTF-8 sequence. Server-sent events
//! follow the WHATWG rules (HTML, "Parsing an event stream"): lines end with CR, LF or CRLF; a
//! BOM at the start is skipped; a line starting with `:` is a comment; `field: value` with one
//! optional space after the colon; `data` lines of one event are joined with `\n`; a blank line
//! dispatches the event; an event without data is not dispatched; `id` (without NUL) and
//! `retry` (digits only) are remembered. A `data` of `[DONE]`, the sentinel chat APIs send, ends
//! the stream cleanly.
//!
//! The stream is read without the call's deadline (a stream may last hours): instead, each wait
//! for the next chunk is limited by the idle timeout ([`IDLE_TIMEOUT`] unless the caller says
//! otherwise). Dropping the stream drops the response, which closes the connection.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};
use progenitor_client::Error;

/// How long a stream may stay silent (no byte at all, comments and keep-alives included) before
/// it fails with an error item, unless the call's options set another ([`super::RequestOptions`]).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// The data a chat API sends to say the stream is over.
const DONE: &str = "[DONE]";

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
    /// The last event id, which outlives each event.
    last_id: Option<String>,
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

/// What the body stream yields next: a chunk, its end, or a wait longer than `idle`.
async fn next_chunk<S>(body: &mut S, idle: Duration) -> Option<Result<bytes::Bytes, String>>
where
    S: Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin,
{
    match tokio::time::timeout(idle, body.next()).await {
        Ok(Some(Ok(chunk))) => Some(Ok(chunk)),
        Ok(Some(Err(error))) => Some(Err(format!("the stream broke off: {error}"))),
        Ok(None) => None,
        Err(_) => Some(Err(format!("no data for {} s; the stream is given up", idle.as_secs()))),
    }
}

/// The events of a `text/event-stream` response, each `data` decoded as `T`; the stream ends at
/// the body's end or at `data: [DONE]`. A broken connection, an idle timeout or data that does
/// not decode is an error item, after which the stream ends.
pub fn events<T, E>(
    response: reqwest::Response,
    idle: Duration,
) -> impl Stream<Item = Result<Event<T>, Error<E>>> + Unpin
where
    T: serde::de::DeserializeOwned,
{
    struct State<S> {
        body: S,
        parser: SseParser,
        ready: VecDeque<RawEvent>,
        over: bool,
    }
    let state =
        State { body: response.bytes_stream(), parser: SseParser::default(), ready: VecDeque::new(), over: false };
    Box::pin(stream::unfold(state, move |mut state| async move {
        loop {
            if state.over {
                return None;
            }
            if let Some(raw) = state.ready.pop_front() {
                if raw.data == DONE {
                    return None;
                }
                let item = match serde_json::from_str::<T>(&raw.data) {
                    Ok(data) => {
                        Ok(Event { event: raw.event, data, id: raw.id, retry: raw.retry.map(Duration::from_millis) })
                    }
                    Err(error) => {
                        state.over = true;
                        Err(Error::InvalidResponsePayload(raw.data.into_bytes().into(), error))
                    }
                };
                return Some((item, state));
            }
            match next_chunk(&mut state.body, idle).await {
                Some(Ok(chunk)) => state.ready.extend(state.parser.feed(&chunk)),
                Some(Err(message)) => {
                    state.over = true;
                    return Some((Err(Error::Custom(message)), state));
                }
                None => {
                    // An event not ended by a blank line is never dispatched (WHATWG).
                    return None;
                }
            }
        }
    }))
}

/// The values of a JSON stream response (`x-ndjson`, `jsonl`, `json-seq`), each decoded as `T`.
/// A broken connection, an idle timeout or a value that does not decode is an error item, after
/// which the stream ends.
pub fn lines<T, E>(response: reqwest::Response, idle: Duration) -> impl Stream<Item = Result<T, Error<E>>> + Unpin
where
    T: serde::de::DeserializeOwned,
{
    struct State<S> {
        body: S,
        parser: LinesParser,
        ready: VecDeque<Vec<u8>>,
        over: bool,
    }
    let state =
        State { body: response.bytes_stream(), parser: LinesParser::default(), ready: VecDeque::new(), over: false };
    Box::pin(stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(record) = state.ready.pop_front() {
                let item = serde_json::from_slice::<T>(&record).map_err(|error| {
                    state.over = true;
                    state.ready.clear();
                    Error::InvalidResponsePayload(record.into(), error)
                });
                return Some((item, state));
            }
            if state.over {
                return None;
            }
            match next_chunk(&mut state.body, idle).await {
                Some(Ok(chunk)) => state.ready.extend(state.parser.feed(&chunk)),
                Some(Err(message)) => {
                    state.over = true;
                    return Some((Err(Error::Custom(message)), state));
                }
                None => {
                    state.over = true;
                    state.ready.extend(state.parser.finish());
                }
            }
        }
    }))
}

/// The error of a streaming call whose answer was not a success: `outcome` is what decoding
/// its status gave, always an error (a documented status that is not one is said so).
#[doc(hidden)]
pub fn failed<E>(outcome: Result<progenitor_client::ResponseValue<()>, Error<E>>) -> Error<E> {
    match outcome {
        Err(error) => error,
        Ok(value) => Error::Custom(format!("the answer had status {} and no stream", value.status())),
    }
}
